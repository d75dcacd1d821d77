//! The `bantin` command; everything lives in the library.

/// A build allocates and frees millions of small strings and vectors from
/// two threads; mimalloc does that in a fraction of the time of the system
/// allocator (glibc's, and far more musl's of the static Linux program).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    bantin::cli::main()
}
