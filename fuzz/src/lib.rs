//! Shared by the fuzz targets: the property checks (also compiled into
//! `tests/properties.rs`) and the base site used by the loading targets.

pub mod checks;

use std::path::PathBuf;
use std::sync::LazyLock;

/// `tests/fixtures` of the bantin repository.
pub fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures")
}

/// One copy of the base site per fuzzing process.
pub static SITE: LazyLock<checks::Site> = LazyLock::new(|| checks::Site::new(&fixtures()));

/// Fuzz input as text: invalid UTF-8 replaced, so every input does something.
pub fn text(data: &[u8]) -> std::borrow::Cow<'_, str> {
    String::from_utf8_lossy(data)
}

/// BANTIN_FUZZ_STRICT=1: also check the properties that open bugs break
/// (see fuzz/README.md); off by default so fuzzing gets past them.
pub static STRICT: LazyLock<bool> =
    LazyLock::new(|| std::env::var_os("BANTIN_FUZZ_STRICT").is_some_and(|v| v == "1"));
