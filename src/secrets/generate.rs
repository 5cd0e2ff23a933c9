//! New secret values: passwords, and cephx keys in Ceph's own format.

use base64::Engine;
use zeroize::Zeroizing;

const PASSWORD_LEN: usize = 32;
const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

fn random_bytes(buf: &mut [u8]) {
    getrandom::fill(buf).expect("the OS provides randomness");
}

/// A random password of 32 letters and digits (about 190 bits).
pub fn password() -> Zeroizing<String> {
    let mut out = Zeroizing::new(String::with_capacity(PASSWORD_LEN));
    let mut byte = [0u8; 1];
    while out.len() < PASSWORD_LEN {
        random_bytes(&mut byte);
        // Rejection sampling keeps every character equally likely (248 = 4 × 62).
        if usize::from(byte[0]) < ALPHABET.len() * 4 {
            out.push(char::from(ALPHABET[usize::from(byte[0]) % ALPHABET.len()]));
        }
    }
    out
}

/// A cephx key as `ceph-authtool --gen-print-key` prints it: base64 of the CryptoKey
/// structure (le16 type 1 = AES, le32 seconds and le32 nanoseconds of creation, le16 length
/// 16, then 16 random bytes).
pub fn cephx_key() -> Zeroizing<String> {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    let mut raw = Zeroizing::new([0u8; 28]);
    raw[0..2].copy_from_slice(&1u16.to_le_bytes());
    raw[2..6].copy_from_slice(&(now.as_secs() as u32).to_le_bytes());
    raw[6..10].copy_from_slice(&now.subsec_nanos().to_le_bytes());
    raw[10..12].copy_from_slice(&16u16.to_le_bytes());
    random_bytes(&mut raw[12..]);
    Zeroizing::new(base64::engine::general_purpose::STANDARD.encode(raw.as_ref()))
}

/// A WireGuard private key as `wg genkey` prints it: base64 of an x25519 secret, clamped
/// (x25519-dalek makes the secret; the clamping is what wg applies to the bytes it prints).
pub fn wireguard_key() -> Zeroizing<String> {
    let mut bytes = Zeroizing::new([0u8; 32]);
    random_bytes(bytes.as_mut());
    let secret = x25519_dalek::StaticSecret::from(*bytes);
    let mut clamped = Zeroizing::new(secret.to_bytes());
    clamped[0] &= 248;
    clamped[31] &= 127;
    clamped[31] |= 64;
    Zeroizing::new(base64::engine::general_purpose::STANDARD.encode(clamped.as_ref()))
}

/// True when `key` is a WireGuard key: base64 of 32 bytes.
pub fn is_wireguard_key(key: &str) -> bool {
    base64::engine::general_purpose::STANDARD
        .decode(key.trim())
        .is_ok_and(|raw| raw.len() == 32)
}

/// The public key of a WireGuard private key, as `wg pubkey` prints it.
pub fn wireguard_public_key(private: &str) -> Option<String> {
    let raw: [u8; 32] = base64::engine::general_purpose::STANDARD
        .decode(private.trim())
        .ok()?
        .try_into()
        .ok()?;
    let public = x25519_dalek::PublicKey::from(&x25519_dalek::StaticSecret::from(raw));
    Some(base64::engine::general_purpose::STANDARD.encode(public.as_bytes()))
}

/// True when `key` is a cephx key Ceph accepts: 28 bytes of base64, AES type, 16-byte secret.
pub fn is_cephx_key(key: &str) -> bool {
    base64::engine::general_purpose::STANDARD
        .decode(key.trim())
        .is_ok_and(|raw| raw.len() == 28 && raw[0..2] == [1, 0] && raw[10..12] == [16, 0])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_long_alphanumeric_and_differ() {
        let (a, b) = (password(), password());
        assert_eq!(a.len(), 32);
        assert!(a.chars().all(|c| c.is_ascii_alphanumeric()));
        assert_ne!(*a, *b);
    }

    #[test]
    fn cephx_keys_have_cephs_format() {
        let key = cephx_key();
        assert_eq!(key.len(), 40, "28 bytes of base64: {}", *key);
        assert!(key.starts_with("AQ"), "type 1 encodes as AQ…: {}", *key);
        assert!(is_cephx_key(&key));
        // A well-formed key written by hand in that layout.
        assert!(is_cephx_key("AQBnu0VhAAAAABAAhPTqxMBvPE2Uf1vhJ2fwmg=="));
        assert!(!is_cephx_key("bm90IGEga2V5"));
        assert_ne!(*cephx_key(), *key);
    }

    #[test]
    fn wireguard_keys_are_clamped_x25519_secrets() {
        let key = wireguard_key();
        assert!(is_wireguard_key(&key));
        let raw = base64::engine::general_purpose::STANDARD
            .decode(key.as_bytes())
            .unwrap();
        assert_eq!((raw[0] & 7, raw[31] & 128, raw[31] & 64), (0, 0, 64));
        assert_ne!(*wireguard_key(), *key);
        // RFC 7748's test vector (Alice), as wg prints keys.
        let alice = "dwdtCnMYpX08FsFyUbJmRd9ML4frwJkqsXf7pR25LCo=";
        assert_eq!(
            wireguard_public_key(alice).unwrap(),
            "hSDwCYkwp1R0i33ctD73Wg2/Og0mOBr066SpjqqbTmo="
        );
    }
}
