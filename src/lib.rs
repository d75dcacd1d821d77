//! bantin — bản tin công tác phát triển đảng viên: a static site generator
//! that turns a party committee's plans, quarterly results and news articles
//! into Vietnamese bulletins, statistics pages and a news archive.
//!
//! The pipeline (see ARCHITECTURE.md): [`load`] → [`check`] → [`stats`] →
//! [`pages`] → [`render`] → [`publish`], orchestrated by [`pipeline`], with
//! [`vi`] for everything Vietnamese and [`cli`] as the thin binary layer.

pub mod check;
pub mod cli;
pub mod diagnostic;
pub mod html;
pub mod import;
pub mod library;
pub mod load;
pub mod markdown;
pub mod model;
pub mod os_error;
pub mod pages;
pub mod pipeline;
pub mod progress;
pub mod publish;
pub mod render;
pub mod scaffold;
pub mod serve;
pub mod stats;
pub mod vi;
