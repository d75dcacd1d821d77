//! `bantin serve`: the site in memory, on 127.0.0.1, rebuilt when a file
//! changes, and the open page reloaded.
//!
//! - One builder thread owns the loaded site. It loads and checks (reading
//!   again only the files that changed, [`LoadCache`]), then renders each
//!   page when a browser asks for it, until the next change. So a change
//!   costs a load of that file, the checks and the page on screen, not a
//!   whole build.
//! - A watcher (notify, debounced) sends the builder a rebuild message for
//!   every change under `content/`, `templates/` and `static/`.
//! - Pages get a small script that listens on `/__bantin/events` (server-sent
//!   events) and reloads when the build changes; the published site never
//!   has it.
//! - When the content has errors, every page is the list of them (file,
//!   line, message, hint) instead of a stale page; the terminal prints them
//!   too.

mod error_page;
mod http;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use notify::{EventKind, RecommendedWatcher, RecursiveMode, Watcher};

use crate::diagnostic::{Diagnostic, complain, say};
use crate::load::LoadCache;
use crate::pipeline::{self, Checked};
use crate::publish::{Content, OutFile};
use crate::render::{self, MarkdownCache, Options, Renderer};

/// Folders of a site whose changes trigger a rebuild.
const WATCHED: [&str; 3] = ["content", "templates", "static"];

/// What the builder thread is asked to do.
enum Message {
    /// Something changed on disk: load and check again.
    Rebuild,
    /// Render the file at this output path (`tin-tuc/index.html`).
    Render(Request),
}

struct Request {
    path: String,
    reply: tokio::sync::oneshot::Sender<Reply>,
}

/// One file of the current build, or why there is none.
pub enum Reply {
    File {
        bytes: Vec<u8>,
        /// The page of the path asked for, or the 404 page.
        found: bool,
        path: String,
    },
    /// The content has errors: show them instead of the page.
    Errors(Arc<Build>),
}

/// What the latest build found.
pub struct Build {
    /// Changes with every build; the reload script compares it.
    pub version: String,
    pub diagnostics: Vec<Diagnostic>,
    pub took: Duration,
}

impl Build {
    fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// Shared between the builder thread and the web server.
pub struct Shared {
    to_builder: mpsc::Sender<Message>,
    latest: tokio::sync::watch::Sender<Arc<Build>>,
}

impl Shared {
    fn send(&self, m: Message) -> bool {
        self.to_builder.send(m).is_ok()
    }

    /// The file at `path` from the current build, rendered now.
    pub async fn file(&self, path: String) -> Option<Reply> {
        let (reply, answer) = tokio::sync::oneshot::channel();
        if !self.send(Message::Render(Request { path, reply })) {
            return None;
        }
        answer.await.ok()
    }

    pub fn latest(&self) -> tokio::sync::watch::Receiver<Arc<Build>> {
        self.latest.subscribe()
    }
}

/// Runs until interrupted. `port` 0 lets the system choose.
pub fn serve(root: PathBuf, port: u16, options: Options, print: fn(&[Diagnostic])) -> ExitCode {
    if !root.join("content").is_dir() {
        complain!(
            "lỗi: không thấy thư mục content/ trong {}; chạy lệnh trong thư mục của trang, hoặc ghi đường dẫn: bantin serve ĐƯỜNG-DẪN",
            root.display()
        );
        return ExitCode::from(2);
    }
    let listener = match std::net::TcpListener::bind(("127.0.0.1", port)) {
        Ok(l) => l,
        Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => {
            let hint = free_port_after(port).map_or_else(
                || "chọn cổng khác bằng --port".to_owned(),
                |p| format!("thử: bantin serve --port {p}"),
            );
            complain!(
                "lỗi: cổng {port} đang được một chương trình khác dùng (có thể là một bantin serve đang chạy); {hint}"
            );
            return ExitCode::from(2);
        }
        Err(e) => {
            complain!("lỗi: không mở được cổng {port} trên 127.0.0.1: {e}");
            return ExitCode::from(2);
        }
    };
    let address = match listener.local_addr() {
        Ok(a) => a,
        Err(e) => {
            complain!("lỗi: {e}");
            return ExitCode::from(2);
        }
    };

    let (to_builder, inbox) = mpsc::channel();
    let first = Arc::new(Build {
        version: String::new(),
        diagnostics: Vec::new(),
        took: Duration::ZERO,
    });
    let shared = Arc::new(Shared {
        to_builder: to_builder.clone(),
        latest: tokio::sync::watch::Sender::new(first),
    });

    let watches = match Watches::new(&root, to_builder) {
        Ok(w) => w,
        Err(message) => {
            complain!("lỗi: {message}");
            return ExitCode::from(2);
        }
    };
    let builder = {
        let shared = Arc::clone(&shared);
        let root = root.clone();
        std::thread::spawn(move || builder(&root, &options, &inbox, &shared, watches, print))
    };

    say!("Đang phục vụ trang tại http://{address}/ (Ctrl+C để dừng)");
    say!(
        "Theo dõi {}: trang tự tải lại khi tệp thay đổi.",
        WATCHED.map(|w| format!("{w}/")).join(", ")
    );
    let served = http::run(listener, shared);
    drop(builder);
    match served {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            complain!("lỗi: máy chủ dừng: {e}");
            ExitCode::from(1)
        }
    }
}

/// The first free port after `port`, to suggest.
fn free_port_after(port: u16) -> Option<u16> {
    (port.saturating_add(1)..=port.saturating_add(20))
        .find(|&p| std::net::TcpListener::bind(("127.0.0.1", p)).is_ok())
}

/// The watched folders of a site. The site folder itself is watched too
/// (not its subfolders), so that a `templates/` or `static/` made while
/// serving triggers a rebuild and is watched from then on.
struct Watches {
    watcher: RecommendedWatcher,
    root: PathBuf,
    watched: Vec<&'static str>,
}

impl Watches {
    /// A change becomes a rebuild (the builder gathers changes that come
    /// together into one).
    fn new(root: &Path, to_builder: mpsc::Sender<Message>) -> Result<Watches, String> {
        let top = root.to_path_buf();
        let mut watcher =
            notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
                // Reading a file (as the builder does) is an event too: only
                // writes, new files, renames and removals count; in the site
                // folder itself, only those of the watched folders.
                if let Ok(e) = event
                    && matches!(
                        e.kind,
                        EventKind::Create(_) | EventKind::Modify(_) | EventKind::Remove(_)
                    )
                    && e.paths.iter().any(|p| counts(&top, p))
                {
                    let _ = to_builder.send(Message::Rebuild);
                }
            })
            .map_err(|e| format!("không theo dõi được thư mục: {e}"))?;
        watcher
            .watch(root, RecursiveMode::NonRecursive)
            .map_err(|e| format!("không theo dõi được {}: {e}", root.display()))?;
        let mut w = Watches {
            watcher,
            root: root.to_path_buf(),
            watched: Vec::new(),
        };
        w.refresh()?;
        Ok(w)
    }

    /// Watches the folders that exist now and were not watched yet (again,
    /// for a folder deleted and made anew).
    fn refresh(&mut self) -> Result<(), String> {
        let root = &self.root;
        let gone: Vec<&'static str> = self
            .watched
            .iter()
            .copied()
            .filter(|f| !root.join(f).is_dir())
            .collect();
        for folder in gone {
            let _ = self.watcher.unwatch(&root.join(folder));
            self.watched.retain(|f| *f != folder);
        }
        for folder in WATCHED {
            let path = self.root.join(folder);
            if !self.watched.contains(&folder) && path.is_dir() {
                self.watcher
                    .watch(&path, RecursiveMode::Recursive)
                    .map_err(|e| format!("không theo dõi được {}: {e}", path.display()))?;
                self.watched.push(folder);
            }
        }
        Ok(())
    }
}

/// Whether a change at `path` may change the site.
fn counts(root: &Path, path: &Path) -> bool {
    if is_editor_scratch(path) {
        return false;
    }
    if path.parent() == Some(root) {
        return path
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| WATCHED.contains(&n));
    }
    true
}

/// Files editors write while saving (`.x.swp`, `x~`, `.#x`): not content.
fn is_editor_scratch(path: &Path) -> bool {
    path.file_name().and_then(|n| n.to_str()).is_some_and(|n| {
        n.ends_with('~') || n.ends_with(".swp") || n.ends_with(".swx") || n.starts_with(".#")
    })
}

/// The builder thread: build, then answer render requests until a change
/// arrives; again, until the server is gone.
fn builder(
    root: &Path,
    options: &Options,
    inbox: &mpsc::Receiver<Message>,
    shared: &Shared,
    mut watches: Watches,
    print: fn(&[Diagnostic]),
) {
    let mut cache = LoadCache::default();
    let mut links = MarkdownCache::default();
    let mut builds: u64 = 0;
    let mut waiting: Vec<Request> = Vec::new();
    loop {
        let started = Instant::now();
        if let Err(message) = watches.refresh() {
            complain!("cảnh báo: {message}");
        }
        builds += 1;
        let version = format!("{}-{builds}", std::process::id());
        let go_on = pipeline::with_checked(
            root,
            options,
            Some(&mut cache),
            &crate::progress::Silent,
            |checked| {
                let session = Session::new(checked, options, &mut links, version, started);
                if session.build.diagnostics.is_empty() {
                    say!("Đã dựng lại sau {} ms.", session.build.took.as_millis());
                } else {
                    print(&session.build.diagnostics);
                    say!(
                        "Đã dựng lại sau {} ms{}.",
                        session.build.took.as_millis(),
                        if session.build.has_errors() {
                            "; trình duyệt hiện danh sách lỗi cho đến khi sửa xong"
                        } else {
                            ""
                        }
                    );
                }
                shared.latest.send_replace(Arc::clone(&session.build));
                for r in waiting.drain(..) {
                    let _ = r.reply.send(session.answer(&r.path));
                }
                session.serve(inbox, &mut waiting)
            },
        );
        if !go_on {
            return;
        }
    }
}

/// One build, answering requests.
struct Session<'a> {
    build: Arc<Build>,
    renderer: Option<Renderer<'a>>,
    pages: HashMap<String, &'a crate::pages::Page>,
    /// Assets, media and static files.
    copied: std::cell::OnceCell<HashMap<String, OutFile>>,
    /// Feeds, data files, the search index: made at the first request for one.
    generated: std::cell::OnceCell<HashMap<String, OutFile>>,
}

impl<'a> Session<'a> {
    fn new(
        checked: Checked<'a>,
        options: &Options,
        links: &mut MarkdownCache,
        version: String,
        started: Instant,
    ) -> Self {
        let Checked {
            site,
            stats,
            pages,
            engine,
            mut diagnostics,
        } = checked;
        let renderer = engine.map(|engine| {
            // A whole build finds link problems while rendering; here the
            // pages are rendered one by one, so look for them now.
            diagnostics.extend(render::check_markdown_cached(site, pages, links));
            Renderer::new(site, stats, pages, engine, options)
        });
        let diagnostics = crate::diagnostic::finish(diagnostics);
        Session {
            build: Arc::new(Build {
                version,
                diagnostics,
                took: started.elapsed(),
            }),
            renderer,
            pages: pages.iter().map(|p| (p.file(), p)).collect(),
            copied: std::cell::OnceCell::new(),
            generated: std::cell::OnceCell::new(),
        }
    }

    /// Answers requests until a rebuild is asked for (true) or the server
    /// is gone (false). Requests that came with the rebuild wait in `waiting`.
    fn serve(&self, inbox: &mpsc::Receiver<Message>, waiting: &mut Vec<Request>) -> bool {
        loop {
            match inbox.recv() {
                Ok(Message::Render(r)) => {
                    let _ = r.reply.send(self.answer(&r.path));
                }
                Ok(Message::Rebuild) => {
                    // Several changes at once make one rebuild.
                    while let Ok(m) = inbox.recv_timeout(Duration::from_millis(20)) {
                        if let Message::Render(r) = m {
                            waiting.push(r);
                        }
                    }
                    return true;
                }
                Err(_) => return false,
            }
        }
    }

    fn answer(&self, path: &str) -> Reply {
        let Some(renderer) = self.renderer.as_ref().filter(|_| !self.build.has_errors()) else {
            return Reply::Errors(Arc::clone(&self.build));
        };
        if let Some(page) = self.pages.get(path) {
            let (html, problems) = renderer.render(page);
            return match html {
                Some(bytes) => Reply::File {
                    bytes,
                    found: true,
                    path: path.to_owned(),
                },
                None => Reply::Errors(Arc::new(Build {
                    version: self.build.version.clone(),
                    diagnostics: problems,
                    took: self.build.took,
                })),
            };
        }
        let by_path = |files: Vec<OutFile>| -> HashMap<String, OutFile> {
            files.into_iter().map(|f| (f.path.clone(), f)).collect()
        };
        let copied = self.copied.get_or_init(|| by_path(renderer.copied_files()));
        let file = copied.get(path).or_else(|| {
            self.generated
                .get_or_init(|| by_path(renderer.generated_files()))
                .get(path)
        });
        if let Some(f) = file {
            let bytes = match &f.content {
                Content::Bytes(b) => Some(b.clone()),
                Content::Copy(source) => std::fs::read(source).ok(),
            };
            if let Some(bytes) = bytes {
                return Reply::File {
                    bytes,
                    found: true,
                    path: path.to_owned(),
                };
            }
        }
        match self.pages.get("404.html").map(|p| renderer.render(p)) {
            Some((Some(bytes), _)) => Reply::File {
                bytes,
                found: false,
                path: "404.html".to_owned(),
            },
            _ => Reply::File {
                bytes: b"404".to_vec(),
                found: false,
                path: "404.txt".to_owned(),
            },
        }
    }
}
