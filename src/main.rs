//! The `bantin` command; everything lives in the library.

/// A build allocates and frees millions of small strings and vectors from
/// two threads; mimalloc does it with less CPU than the system allocator
/// (measures in Cargo.toml).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    bantin::cli::main()
}
