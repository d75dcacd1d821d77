//! The web side of `serve`: URL → output path → the builder's answer.

use std::convert::Infallible;
use std::sync::Arc;

use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, Uri, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use futures_util::Stream;

use super::{Reply, Shared, error_page, guides};

/// Where the reload script and its event stream live; no page of a site
/// can have these paths (`__` is not a slug).
const RELOAD_SCRIPT: &str = "/__bantin/reload.js";
const EVENTS: &str = "/__bantin/events";

const SCRIPT: &str = include_str!("reload.js");

pub(super) fn run(listener: std::net::TcpListener, shared: Arc<Shared>) -> std::io::Result<()> {
    listener.set_nonblocking(true)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::from_std(listener)?;
        let app = Router::new()
            .route(RELOAD_SCRIPT, get(script))
            .route(EVENTS, get(events))
            .route(guides::GUIDE_ROOT, get(guide_index))
            .route("/__bantin/huong-dan/{name}", get(guide))
            .route("/__bantin/mau/{name}", get(template))
            .fallback(get(file))
            .with_state(shared);
        axum::serve(listener, app)
            .with_graceful_shutdown(async {
                let _ = tokio::signal::ctrl_c().await;
            })
            .await
    })
}

async fn script() -> Response {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
        SCRIPT,
    )
        .into_response()
}

async fn guide_index() -> Response {
    html(guides::index())
}

async fn guide(Path(name): Path<String>) -> Response {
    match guides::guide(&name) {
        Some(page) => html(page),
        None => (StatusCode::NOT_FOUND, "không có hướng dẫn này").into_response(),
    }
}

async fn template(Path(name): Path<String>) -> Response {
    match guides::template(&name) {
        Some(text) => ([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], text).into_response(),
        None => (StatusCode::NOT_FOUND, "không có mẫu này").into_response(),
    }
}

fn html(page: String) -> Response {
    ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], page).into_response()
}

/// One event with the build's version now, then one per new build.
async fn events(
    State(shared): State<Arc<Shared>>,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let latest = shared.latest();
    let stream = futures_util::stream::unfold((latest, true), |(mut rx, first)| async move {
        if !first && rx.changed().await.is_err() {
            return None;
        }
        let version = rx.borrow_and_update().version.clone();
        Some((Ok(Event::default().data(version)), (rx, false)))
    });
    Sse::new(stream).keep_alive(KeepAlive::default())
}

async fn file(State(shared): State<Arc<Shared>>, uri: Uri) -> Response {
    let Some(path) = crate::pages::file_of_request(uri.path()) else {
        return (StatusCode::BAD_REQUEST, "đường dẫn không hợp lệ").into_response();
    };
    match shared.file(path).await {
        Some(Reply::File { bytes, found, path }) => {
            let status = if found {
                StatusCode::OK
            } else {
                StatusCode::NOT_FOUND
            };
            let kind = content_type(&path);
            let body = if kind.starts_with("text/html") {
                with_reload_script(bytes)
            } else {
                bytes
            };
            let mut response = (status, body).into_response();
            let headers = response.headers_mut();
            headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(kind));
            headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            response
        }
        Some(Reply::Errors(build)) => {
            let mut response = (
                StatusCode::INTERNAL_SERVER_ERROR,
                with_reload_script(error_page::html(&build).into_bytes()),
            )
                .into_response();
            response.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/html; charset=utf-8"),
            );
            response
        }
        None => (StatusCode::SERVICE_UNAVAILABLE, "bantin đang dừng").into_response(),
    }
}

fn content_type(path: &str) -> &'static str {
    let ext = path.rsplit_once('.').map_or("", |(_, e)| e);
    match ext.to_ascii_lowercase().as_str() {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "pdf" => "application/pdf",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "woff2" => "font/woff2",
        _ => "application/octet-stream",
    }
}

/// Adds the reload script before `</body>` (or at the end).
fn with_reload_script(mut html: Vec<u8>) -> Vec<u8> {
    let tag = format!("<script src=\"{RELOAD_SCRIPT}\"></script>\n");
    let at = html
        .windows(7)
        .rposition(|w| w == b"</body>")
        .unwrap_or(html.len());
    html.splice(at..at, tag.into_bytes());
    html
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_script_goes_before_the_end_of_body() {
        let html = with_reload_script(b"<html><body><p>x</p></body></html>".to_vec());
        let text = String::from_utf8_lossy(&html);
        assert!(text.contains("<p>x</p><script src=\"/__bantin/reload.js\"></script>\n</body>"));
    }
}
