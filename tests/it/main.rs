//! Integration tests: the real `bantin` binary on real content folders.
//! One test binary, one module per feature, fixtures under tests/fixtures/.

mod addresses;
mod amended;
mod arguments;
mod bombs;
mod bulletins;
mod common;
mod crash;
mod feeds;
mod hostile;
mod import;
mod import_bombs;
mod invalid;
mod levels;
mod new;
mod output;
mod report;
mod sample;
mod search;
mod serve;
mod site;
mod terms;
mod warnings;
mod words;
