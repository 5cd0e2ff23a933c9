//! The Ansible vault format 1.1 (AES256), as `ansible-vault` writes and reads it:
//! PBKDF2-HMAC-SHA256 (10,000 rounds, 32-byte salt) derives an AES-256 key, an HMAC key and a
//! CTR IV; the PKCS#7-padded plaintext is encrypted with AES-256-CTR and authenticated with
//! HMAC-SHA256; salt, HMAC and ciphertext are hex-encoded, joined by newlines, hex-encoded
//! again and wrapped at 80 columns under the `$ANSIBLE_VAULT;1.1;AES256` header.

use aes::Aes256;
use ctr::cipher::{KeyIvInit, StreamCipher};
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;
use zeroize::Zeroizing;

type Aes256Ctr = ctr::Ctr128BE<Aes256>;

const HEADER: &str = "$ANSIBLE_VAULT;1.1;AES256";
const ROUNDS: u32 = 10_000;
const SALT_LEN: usize = 32;

/// Why a vault could not be opened.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum VaultError {
    /// Not an AES256 vault of format 1.1 or 1.2.
    #[error("not an Ansible vault (expected a `$ANSIBLE_VAULT;1.1;AES256` header)")]
    NotAVault,
    /// The body is not the hex the format prescribes.
    #[error("the vault is damaged: {0}")]
    Damaged(&'static str),
    /// The HMAC does not match: wrong password, or altered contents.
    #[error("the vault password does not open this vault (or the file was altered)")]
    WrongPassword,
}

struct Keys {
    cipher: Zeroizing<[u8; 32]>,
    mac: Zeroizing<[u8; 32]>,
    iv: [u8; 16],
}

fn derive(password: &[u8], salt: &[u8]) -> Keys {
    let mut out = Zeroizing::new([0u8; 80]);
    pbkdf2::pbkdf2_hmac::<Sha256>(password, salt, ROUNDS, out.as_mut());
    let mut keys = Keys {
        cipher: Zeroizing::new([0; 32]),
        mac: Zeroizing::new([0; 32]),
        iv: [0; 16],
    };
    keys.cipher.copy_from_slice(&out[..32]);
    keys.mac.copy_from_slice(&out[32..64]);
    keys.iv.copy_from_slice(&out[64..]);
    keys
}

/// AES-256-CTR both ways: the IV is the initial 128-bit big-endian counter.
fn apply_keystream(keys: &Keys, data: &mut [u8]) {
    let key: &[u8; 32] = &keys.cipher;
    Aes256Ctr::new(key.into(), (&keys.iv).into()).apply_keystream(data);
}

fn mac(keys: &Keys) -> Hmac<Sha256> {
    <Hmac<Sha256> as KeyInit>::new_from_slice(keys.mac.as_ref()).expect("HMAC takes any key length")
}

/// Encrypts `plaintext` with a fresh random salt.
pub fn encrypt(plaintext: &[u8], password: &[u8]) -> String {
    let mut salt = [0u8; SALT_LEN];
    getrandom::fill(&mut salt).expect("the OS provides randomness");
    let keys = derive(password, &salt);
    let pad = 16 - plaintext.len() % 16;
    let mut data = Zeroizing::new(Vec::with_capacity(plaintext.len() + pad));
    data.extend_from_slice(plaintext);
    data.extend(std::iter::repeat_n(pad as u8, pad));
    apply_keystream(&keys, &mut data);
    let mut mac = mac(&keys);
    mac.update(&data);
    let inner = format!(
        "{}\n{}\n{}",
        hex::encode(salt),
        hex::encode(mac.finalize().into_bytes()),
        hex::encode(&data[..])
    );
    let outer = hex::encode(inner);
    let mut text = String::with_capacity(HEADER.len() + outer.len() + outer.len() / 80 + 2);
    text.push_str(HEADER);
    for line in outer.as_bytes().chunks(80) {
        text.push('\n');
        text.push_str(std::str::from_utf8(line).expect("hex is ASCII"));
    }
    text.push('\n');
    text
}

/// Decrypts a vault (format 1.1, or 1.2 with a vault id label).
pub fn decrypt(vault: &str, password: &[u8]) -> Result<Zeroizing<Vec<u8>>, VaultError> {
    let mut lines = vault.lines();
    let header: Vec<&str> = lines.next().unwrap_or_default().trim().split(';').collect();
    match header[..] {
        ["$ANSIBLE_VAULT", "1.1", "AES256"] | ["$ANSIBLE_VAULT", "1.2", "AES256", _] => {}
        _ => return Err(VaultError::NotAVault),
    }
    let outer: String = lines.map(str::trim).collect();
    let inner = hex::decode(outer).map_err(|_| VaultError::Damaged("the body is not hex"))?;
    let inner =
        std::str::from_utf8(&inner).map_err(|_| VaultError::Damaged("the body is not text"))?;
    let mut parts = inner.split('\n');
    let mut next = |what| {
        parts
            .next()
            .and_then(|p| hex::decode(p.trim()).ok())
            .ok_or(VaultError::Damaged(what))
    };
    let (salt, expected, mut data) = (next("salt")?, next("hmac")?, next("ciphertext")?);
    let keys = derive(password, &salt);
    let mut mac = mac(&keys);
    mac.update(&data);
    mac.verify_slice(&expected)
        .map_err(|_| VaultError::WrongPassword)?;
    apply_keystream(&keys, &mut data);
    let data = Zeroizing::new(data);
    let pad = usize::from(*data.last().ok_or(VaultError::Damaged("empty ciphertext"))?);
    if pad == 0
        || pad > 16
        || pad > data.len()
        || data[data.len() - pad..]
            .iter()
            .any(|&b| usize::from(b) != pad)
    {
        return Err(VaultError::Damaged("bad padding"));
    }
    Ok(Zeroizing::new(data[..data.len() - pad].to_vec()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        for text in ["", "a", "exactly sixteen!", "vault_x: \"secret\"\n"] {
            let vault = encrypt(text.as_bytes(), b"pw");
            assert!(vault.starts_with("$ANSIBLE_VAULT;1.1;AES256\n"));
            assert_eq!(decrypt(&vault, b"pw").unwrap().as_slice(), text.as_bytes());
            assert_eq!(decrypt(&vault, b"other"), Err(VaultError::WrongPassword));
        }
    }

    #[test]
    fn lines_are_wrapped_at_80() {
        let vault = encrypt(&[b'x'; 500], b"pw");
        assert!(vault.lines().skip(1).all(|l| l.len() <= 80));
    }

    #[test]
    fn garbage_is_refused() {
        assert_eq!(decrypt("hello", b"pw"), Err(VaultError::NotAVault));
        assert!(matches!(
            decrypt("$ANSIBLE_VAULT;1.1;AES256\nzz", b"pw"),
            Err(VaultError::Damaged(_))
        ));
        let mut vault = encrypt(b"data", b"pw");
        vault.insert(40, '0');
        assert!(decrypt(&vault, b"pw").is_err());
    }
}
