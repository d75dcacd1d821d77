//! `bantin serve`: the site in memory, on 127.0.0.1, rebuilt when a file
//! changes, and the open page reloaded.
//!
//! - One builder thread owns the loaded site. It loads and checks (reading
//!   again only the files that changed, [`LoadCache`]), then renders each
//!   page when a browser asks for it, until the next change. So a change
//!   costs a load of that file, the checks and the page on screen, not a
//!   whole build.
//! - A watcher (notify, debounced) sends the builder a rebuild message for
//!   every change under `content/`, `templates/` and `static/` (the site's
//!   `site.yaml` is in `content/`), and for nothing else: not `output/`, a
//!   build's staging folder, hidden or editor files, nor the file serve's
//!   own output is redirected to, so `bantin serve > serve.log` cannot
//!   loop. The site folder is canonicalized once, since the system reports
//!   canonical paths (`.`, `../trang` or a symbolic link never match them).
//!   Each rebuild's event names the changes that caused it.
//! - Pages get a small script that listens on `/__bantin/events` (server-sent
//!   events) and reloads when the build changes; the published site never
//!   has it.
//! - When the content has errors, every page is the list of them (file,
//!   line, message, hint) instead of a stale page.
//!
//! Nothing here prints: what happens (serving at an address, each build
//! with its problems, a folder that cannot be watched) goes as an [`Event`]
//! to a [`Report`] that the command line implements, and what stops the
//! server is an [`Error`] for it to say.

mod error_page;
mod guides;
mod http;

use std::collections::{BTreeSet, HashMap};
use std::io;
use std::net::SocketAddr;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use notify::{EventKind, RecommendedWatcher, RecursiveMode, Watcher};

use crate::diagnostic::Diagnostic;
use crate::library::Library;
use crate::load::LoadCache;
use crate::pipeline::{self, Checked};
use crate::publish::{Content, OutFile};
use crate::render::{self, MarkdownCache, Options, Renderer};

/// Folders of a site whose changes trigger a rebuild.
const WATCHED: [&str; 3] = ["content", "templates", "static"];

/// What serve tells the person running it.
pub(crate) enum Event<'a> {
    /// The server listens at `address`; a change under one of `watched`
    /// (folders of the site) rebuilds it and reloads the open page.
    Serving {
        address: SocketAddr,
        watched: &'a [&'a str],
    },
    /// A build is done: the first one, or one caused by the files in
    /// `changed` (site-relative, sorted). Its problems, if any, are shown
    /// in the browser too.
    Built {
        diagnostics: &'a [Diagnostic],
        took: Duration,
        changed: &'a BTreeSet<String>,
    },
    /// A folder could not be watched: its changes go unnoticed until the
    /// next rebuild tries again.
    NotWatched(&'a WatchError),
}

/// Receives serve's events, from the thread that builds: a build's event
/// arrives before any page of that build is served.
pub(crate) trait Report: Send + Sync {
    fn event(&self, event: Event<'_>);
}

/// Why serve could not start, or stopped.
#[derive(Debug)]
pub(crate) enum Error {
    /// The site folder could not be opened.
    Site { root: PathBuf, error: io::Error },
    /// Another program listens on `port`; `free` is a free port close to it.
    PortInUse { port: u16, free: Option<u16> },
    /// The port could not be opened for another reason.
    Port { port: u16, error: io::Error },
    /// The site's folders cannot be watched.
    Watch(WatchError),
    /// The server stopped on an error after it started.
    Stopped(io::Error),
}

/// A folder that cannot be watched.
#[derive(Debug)]
pub(crate) struct WatchError {
    /// `None` when no watcher could be made at all.
    pub(crate) path: Option<PathBuf>,
    pub(crate) reason: WatchReason,
}

/// Why a folder cannot be watched (notify's own text is English).
#[derive(Debug)]
pub(crate) enum WatchReason {
    Io(io::Error),
    NoFolder,
    /// The system's limit of watched folders is reached.
    TooManyWatches,
    Other,
}

impl WatchError {
    fn new(path: Option<&Path>, e: notify::Error) -> WatchError {
        let reason = match e.kind {
            notify::ErrorKind::Io(io) => WatchReason::Io(io),
            notify::ErrorKind::PathNotFound => WatchReason::NoFolder,
            notify::ErrorKind::MaxFilesWatch => WatchReason::TooManyWatches,
            _ => WatchReason::Other,
        };
        WatchError {
            path: path.map(Path::to_path_buf),
            reason,
        }
    }
}

/// What the builder thread is asked to do.
enum Message {
    /// These files (site-relative) changed on disk: load and check again.
    Rebuild(Vec<String>),
    /// Render the file at this output path (`tin-tuc/index.html`).
    Render(Request),
}

struct Request {
    path: String,
    reply: tokio::sync::oneshot::Sender<Reply>,
}

/// One file of the current build, or why there is none.
enum Reply {
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
struct Build {
    /// Changes with every build; the reload script compares it.
    version: String,
    diagnostics: Vec<Diagnostic>,
    took: Duration,
}

impl Build {
    fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// Shared between the builder thread and the web server.
struct Shared {
    to_builder: mpsc::Sender<Message>,
    latest: tokio::sync::watch::Sender<Arc<Build>>,
}

impl Shared {
    fn send(&self, m: Message) -> bool {
        self.to_builder.send(m).is_ok()
    }

    /// The file at `path` from the current build, rendered now.
    async fn file(&self, path: String) -> Option<Reply> {
        let (reply, answer) = tokio::sync::oneshot::channel();
        if !self.send(Message::Render(Request { path, reply })) {
            return None;
        }
        answer.await.ok()
    }

    fn latest(&self) -> tokio::sync::watch::Receiver<Arc<Build>> {
        self.latest.subscribe()
    }
}

/// Serves the site in `root` (a folder holding `content/`) until
/// interrupted. `port` 0 lets the system choose.
pub(crate) fn serve(
    root: &Path,
    port: u16,
    options: Options,
    report: Arc<dyn Report>,
) -> Result<(), Error> {
    // Once, here: every path the watcher reports is compared with this one.
    let root = root.canonicalize().map_err(|error| Error::Site {
        root: root.to_path_buf(),
        error,
    })?;
    let listener = std::net::TcpListener::bind(("127.0.0.1", port)).map_err(|error| {
        if error.kind() == io::ErrorKind::AddrInUse {
            Error::PortInUse {
                port,
                free: free_port_after(port),
            }
        } else {
            Error::Port { port, error }
        }
    })?;
    let address = listener
        .local_addr()
        .map_err(|error| Error::Port { port, error })?;

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

    let watches = Watches::new(&root, to_builder).map_err(Error::Watch)?;
    report.event(Event::Serving {
        address,
        watched: &WATCHED,
    });
    let builder = {
        let shared = Arc::clone(&shared);
        std::thread::spawn(move || builder(&root, &options, &inbox, &shared, watches, &*report))
    };
    let served = http::run(listener, shared);
    // The builder waits for messages that no longer come; the process ends.
    drop(builder);
    served.map_err(Error::Stopped)
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
    /// Canonical, as the paths the system reports.
    root: PathBuf,
    watched: Vec<&'static str>,
}

impl Watches {
    /// A change becomes a rebuild (the builder gathers changes that come
    /// together into one). `root` must be canonical.
    fn new(root: &Path, to_builder: mpsc::Sender<Message>) -> Result<Watches, WatchError> {
        let filter = Filter::new(root.to_path_buf());
        let mut watcher =
            notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
                // Reading a file (as the builder does) is an event too: only
                // writes, new files, renames and removals count.
                let Ok(e) = event else { return };
                if !matches!(
                    e.kind,
                    EventKind::Create(_) | EventKind::Modify(_) | EventKind::Remove(_)
                ) {
                    return;
                }
                let changed: Vec<String> =
                    e.paths.iter().filter_map(|p| filter.source(p)).collect();
                if !changed.is_empty() {
                    let _ = to_builder.send(Message::Rebuild(changed));
                }
            })
            .map_err(|e| WatchError::new(None, e))?;
        watcher
            .watch(root, RecursiveMode::NonRecursive)
            .map_err(|e| WatchError::new(Some(root), e))?;
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
    fn refresh(&mut self) -> Result<(), WatchError> {
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
                    .map_err(|e| WatchError::new(Some(&path), e))?;
                self.watched.push(folder);
            }
        }
        Ok(())
    }
}

/// Which changes may change the site: those to what a build reads, never
/// to what bantin itself writes. A change anywhere else in the site folder
/// (`output/`, a build's `.output.bantin-tmp-*`, `serve > serve.log`) is
/// not one, so serve's own log cannot make it rebuild in a loop.
struct Filter {
    /// Canonical: the system reports canonical paths, and a root typed as
    /// `.` or through a symbolic link would never match them.
    root: PathBuf,
    /// The files serve's own output goes to (`bantin serve > content/x.log`).
    own_output: Vec<FileIdentity>,
}

impl Filter {
    fn new(root: PathBuf) -> Self {
        Filter {
            root,
            own_output: own_output_files(),
        }
    }

    /// The site-relative path of `path` (`content/units.yaml`) when a
    /// change there may change the site.
    fn source(&self, path: &Path) -> Option<String> {
        let rel = path.strip_prefix(&self.root).ok()?;
        let mut parts = rel.components();
        let in_sources = matches!(
            parts.next(),
            Some(Component::Normal(top)) if WATCHED.iter().any(|w| top == *w)
        );
        // Names a build skips (hidden files, editors' `.x.swp`, `x~`) are
        // not content either.
        let counts = in_sources
            && !parts.any(|p| matches!(p, Component::Normal(n) if crate::load::walk::is_hidden(n)))
            && !self.is_own_output(path);
        counts.then(|| {
            rel.components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/")
        })
    }

    fn is_own_output(&self, path: &Path) -> bool {
        !self.own_output.is_empty()
            && file_identity(path).is_some_and(|id| self.own_output.contains(&id))
    }
}

/// A file as the system knows it, whatever the path: (device, inode).
type FileIdentity = (u64, u64);

#[cfg(unix)]
fn file_identity(path: &Path) -> Option<FileIdentity> {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(path).ok().map(|m| (m.dev(), m.ino()))
}

#[cfg(not(unix))]
fn file_identity(_: &Path) -> Option<FileIdentity> {
    None
}

/// The regular files standard output and standard error are written to.
#[cfg(unix)]
fn own_output_files() -> Vec<FileIdentity> {
    use std::os::fd::AsFd;
    use std::os::unix::fs::MetadataExt;
    let stdout = std::io::stdout();
    let stderr = std::io::stderr();
    [stdout.as_fd(), stderr.as_fd()]
        .into_iter()
        .filter_map(|fd| {
            let meta = std::fs::File::from(fd.try_clone_to_owned().ok()?)
                .metadata()
                .ok()?;
            meta.is_file().then(|| (meta.dev(), meta.ino()))
        })
        .collect()
}

#[cfg(not(unix))]
fn own_output_files() -> Vec<FileIdentity> {
    Vec::new()
}

/// The builder thread: build, then answer render requests until a change
/// arrives; again, until the server is gone.
fn builder(
    root: &Path,
    options: &Options,
    inbox: &mpsc::Receiver<Message>,
    shared: &Shared,
    mut watches: Watches,
    report: &dyn Report,
) {
    let mut cache = LoadCache::default();
    let mut links = MarkdownCache::default();
    let mut builds: u64 = 0;
    let mut waiting: Vec<Request> = Vec::new();
    let mut changed: BTreeSet<String> = BTreeSet::new();
    loop {
        let started = Instant::now();
        if let Err(e) = watches.refresh() {
            report.event(Event::NotWatched(&e));
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
                report.event(Event::Built {
                    diagnostics: &session.build.diagnostics,
                    took: session.build.took,
                    changed: &changed,
                });
                changed.clear();
                shared.latest.send_replace(Arc::clone(&session.build));
                for r in waiting.drain(..) {
                    let _ = r.reply.send(session.answer(&r.path));
                }
                session.serve(inbox, &mut waiting, &mut changed)
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
            tags,
            pages,
            engine,
            mut diagnostics,
        } = checked;
        let renderer = engine.map(|engine| {
            // A whole build finds link problems while rendering; here the
            // pages are rendered one by one, so look for them now.
            diagnostics.extend(render::check_markdown_cached(site, pages, links));
            let lib = Library::new(
                site,
                stats,
                tags,
                options.drafts,
                options.base_url.as_deref(),
            );
            Renderer::new(lib, pages, engine)
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
    /// is gone (false). Requests that came with the rebuild wait in
    /// `waiting`; the files that changed are added to `changed`.
    fn serve(
        &self,
        inbox: &mpsc::Receiver<Message>,
        waiting: &mut Vec<Request>,
        changed: &mut BTreeSet<String>,
    ) -> bool {
        loop {
            match inbox.recv() {
                Ok(Message::Render(r)) => {
                    let _ = r.reply.send(self.answer(&r.path));
                }
                Ok(Message::Rebuild(files)) => {
                    changed.extend(files);
                    // Several changes at once make one rebuild.
                    while let Ok(m) = inbox.recv_timeout(Duration::from_millis(20)) {
                        match m {
                            Message::Render(r) => waiting.push(r),
                            Message::Rebuild(files) => changed.extend(files),
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
                .get_or_init(|| by_path(renderer.generated_files().0))
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Counts the events it receives.
    #[derive(Default)]
    struct Recorder(std::sync::Mutex<usize>);

    impl Report for Recorder {
        fn event(&self, _: Event<'_>) {
            if let Ok(mut n) = self.0.lock() {
                *n += 1;
            }
        }
    }

    #[test]
    fn a_port_in_use_is_an_error_to_say_not_an_event() {
        let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        std::fs::create_dir(tmp.path().join("content")).unwrap_or_else(|e| panic!("{e}"));
        let taken = std::net::TcpListener::bind(("127.0.0.1", 0)).unwrap_or_else(|e| panic!("{e}"));
        let port = taken.local_addr().map_or(0, |a| a.port());
        let recorder = Arc::new(Recorder::default());
        let served = serve(
            tmp.path(),
            port,
            Options {
                drafts: false,
                base_url: None,
            },
            Arc::clone(&recorder) as Arc<dyn Report>,
        );
        assert!(
            matches!(served, Err(Error::PortInUse { port: p, .. }) if p == port),
            "{served:?}"
        );
        assert_eq!(recorder.0.lock().map(|n| *n).ok(), Some(0));
    }

    #[test]
    fn only_changes_to_what_a_build_reads_count() {
        let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let root = tmp.path().canonicalize().unwrap_or_else(|e| panic!("{e}"));
        let filter = Filter {
            root: root.clone(),
            own_output: Vec::new(),
        };
        let source = |rel: &str| filter.source(&root.join(rel));
        for rel in [
            "content",
            "content/units.yaml",
            "content/results/2023/q1.yaml",
            "templates/home.html",
            "static/assets/logo.png",
        ] {
            assert_eq!(source(rel).as_deref(), Some(rel));
        }
        for rel in [
            "serve.log",
            "output/index.html",
            ".output.bantin-tmp-12-0/index.html",
            "contents/units.yaml",
            "content/.units.yaml.swp",
            "content/units.yaml~",
            "content/.git/index",
        ] {
            assert_eq!(source(rel), None, "{rel}");
        }
        assert_eq!(filter.source(Path::new("/etc/passwd")), None);
        // As typed, not as the system reports it: never equal to a root
        // that was canonicalized.
        assert_eq!(filter.source(Path::new("./content/units.yaml")), None);
    }

    #[cfg(unix)]
    #[test]
    fn serves_own_log_never_counts_even_among_the_content() {
        let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let root = tmp.path().canonicalize().unwrap_or_else(|e| panic!("{e}"));
        std::fs::create_dir(root.join("content")).unwrap_or_else(|e| panic!("{e}"));
        let log = root.join("content/serve.log");
        std::fs::write(&log, "").unwrap_or_else(|e| panic!("{e}"));
        let filter = Filter {
            root: root.clone(),
            own_output: file_identity(&log).into_iter().collect(),
        };
        assert_eq!(filter.source(&log), None);
        assert_eq!(
            filter.source(&root.join("content/units.yaml")).as_deref(),
            Some("content/units.yaml")
        );
    }
}
