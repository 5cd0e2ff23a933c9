//! The words users write for the values of the spec's enums, each written once.
//!
//! An enum declared with [`spelled!`] lists every variant with its spelling after `=`; from that
//! one list come serde's name for the variant (so reading, writing, the schema and serde's
//! "expected one of" messages), `as_str()` for code that needs the word, and `ALL` / `NAMES` for
//! code that lists the choices. serde's derived code still does the reading, so its messages stay
//! serde's own.

/// An enum whose values users write as fixed words (see [`spelled!`]).
pub trait Spelling: Copy + 'static {
    /// Every value, in declaration order: the order the schema and serde's messages list them.
    const ALL: &'static [Self];
    /// The word of each value of [`Spelling::ALL`], in the same order.
    const NAMES: &'static [&'static str];
    /// The word users write for this value (what serde reads and writes).
    fn as_str(self) -> &'static str;
}

/// Declares a unit-only enum whose variants are written `Variant = "spelling"`.
///
/// The attributes given (doc comments, derives, `#[default]`) are kept; each variant gets
/// `#[serde(rename = "spelling")]`, and the enum gets `ALL`, `NAMES` and a `const fn as_str`
/// (usable in constants) plus an implementation of [`Spelling`]. The derives must include
/// serde's, for the renames to mean anything.
macro_rules! spelled {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $(
                $(#[$variant_meta:meta])*
                $variant:ident = $spelling:literal
            ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        $vis enum $name {
            $(
                $(#[$variant_meta])*
                #[serde(rename = $spelling)]
                $variant,
            )+
        }

        impl $name {
            /// Every value, in declaration order (the order the schema lists them).
            pub const ALL: [$name; [$($spelling),+].len()] = [$($name::$variant),+];

            /// The word users write for each value of `ALL`, in the same order.
            pub const NAMES: [&'static str; [$($spelling),+].len()] = [$($spelling),+];

            /// The word users write for this value (what serde reads and writes).
            pub const fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $spelling,)+
                }
            }
        }

        impl $crate::spec::Spelling for $name {
            const ALL: &'static [Self] = &$name::ALL;
            const NAMES: &'static [&'static str] = &$name::NAMES;

            fn as_str(self) -> &'static str {
                $name::as_str(self)
            }
        }
    };
}

pub(crate) use spelled;

/// The words of `T` as a sentence lists them: `a`, `a or b`, `a, b or c`.
pub(crate) fn one_of<T: Spelling>() -> String {
    listed(T::NAMES.iter().map(|name| (*name).to_owned()).collect())
}

/// `words` joined with commas, the last with `or`.
pub(crate) fn listed(mut words: Vec<String>) -> String {
    match words.pop() {
        None => String::new(),
        Some(last) if words.is_empty() => last,
        Some(last) => format!("{} or {last}", words.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    spelled! {
        /// A test enum.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
        enum Sample {
            /// The first.
            First = "first-one",
            /// The second.
            Second = "2nd",
        }
    }

    #[test]
    fn the_spelling_is_what_serde_reads_and_writes() {
        for value in Sample::ALL {
            let json = serde_json::to_value(value).unwrap();
            assert_eq!(json, serde_json::json!(value.as_str()));
            assert_eq!(serde_json::from_value::<Sample>(json).unwrap(), value);
        }
        assert_eq!(Sample::NAMES, ["first-one", "2nd"]);
        let error = serde_json::from_value::<Sample>(serde_json::json!("third")).unwrap_err();
        assert_eq!(
            error.to_string(),
            "unknown variant `third`, expected `first-one` or `2nd`"
        );
    }

    #[test]
    fn choices_read_as_a_sentence() {
        assert_eq!(one_of::<Sample>(), "first-one or 2nd");
        let words = |w: &[&str]| w.iter().map(|s| s.to_string()).collect();
        assert_eq!(listed(words(&["a"])), "a");
        assert_eq!(listed(words(&["a", "b", "c"])), "a, b or c");
    }
}
