//! The template environments: every template under `templates/` (embedded by `build.rs`), the
//! output conventions, and the filters that make spec strings data.

use super::{text, yaml};
use minijinja::{Environment, UndefinedBehavior, Value};

/// A template environment as every cephspray template expects it: strict undefined, files end
/// as written, no HTML escaping, every `{{ … }}` on one line (see [`text::formatter`]), and the
/// YAML-safe `yaml` filter, which writes strings as they are (the spec that `init` writes).
pub(crate) fn base_environment() -> Environment<'static> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_syntax(
        minijinja::syntax::SyntaxConfig::builder()
            .keep_trailing_newline(true)
            .build()
            .expect("valid syntax"),
    );
    env.set_auto_escape_callback(|_| minijinja::AutoEscape::None);
    env.set_formatter(text::formatter);
    env.add_filter("yaml", |value: &Value, indent: Option<usize>| {
        yaml::yaml(value, indent, yaml::Strings::Plain).map(Value::from_safe_string)
    });
    env
}

/// The inventory's environment: `yaml` writes spec strings so that Ansible cannot template them
/// (`!unsafe`), `yaml_plain` writes strings as they are (extra_vars, Helm values), and the
/// Markdown filters of the README.
pub(super) fn environment() -> Environment<'static> {
    let mut env = base_environment();
    env.add_filter("yaml", |value: &Value, indent: Option<usize>| {
        yaml::yaml(value, indent, yaml::Strings::Data).map(Value::from_safe_string)
    });
    env.add_filter("yaml_plain", |value: &Value, indent: Option<usize>| {
        yaml::yaml(value, indent, yaml::Strings::Plain).map(Value::from_safe_string)
    });
    env.add_filter("md_code", |text: &str| text::md_code(text));
    env.add_filter("md_text", |text: &str| text::md_text(text));
    env.add_filter("html_comment", |text: &str| text::html_comment(text));
    env.add_filter("shell_word", |text: &str| text::shell_word(text));
    load_templates(env)
}

/// Adds every template of `templates/`, as `build.rs` embedded them (the generated code names
/// `minijinja::Environment` in full).
#[allow(unused_qualifications)]
fn load_templates(mut env: Environment<'static>) -> Environment<'static> {
    minijinja_embed::load_templates!(env);
    env
}

/// Renders one template.
pub(super) fn render(
    env: &Environment,
    template: &str,
    ctx: Value,
) -> Result<String, super::RenderError> {
    env.get_template(template)
        .and_then(|t| t.render(ctx))
        .map_err(|source| super::RenderError::Template {
            template: template.to_owned(),
            source,
        })
}
