//! bantin — bản tin công tác phát triển đảng viên: a static site generator
//! that turns a party committee's plans, quarterly results and news articles
//! into Vietnamese bulletins, statistics pages and a news archive.
//!
//! The pipeline (see ARCHITECTURE.md): [`load`] → [`check`] → [`stats`] →
//! [`pages`] → [`render`] → [`publish`], orchestrated by [`pipeline`], with
//! [`vi`] for everything Vietnamese and [`cli`] as the thin binary layer.

pub(crate) mod check;
pub mod cli;
pub mod diagnostic;
pub(crate) mod html;
pub mod import;
pub(crate) mod library;
pub mod load;
pub mod markdown;
pub mod model;
pub(crate) mod os_error;
pub mod pages;
pub mod pipeline;
pub mod progress;
pub mod publish;
pub mod render;
pub(crate) mod scaffold;
pub(crate) mod serve;
pub mod stats;
mod values;
pub mod vi;
