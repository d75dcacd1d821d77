//! How a long build tells the user where it is. The pipeline calls these;
//! the command line decides what, if anything, is shown.

/// Receives a build's steps and each rendered page.
pub trait Progress: Sync {
    /// A step begins; `total` is how many ticks it will make, if known.
    fn phase(&self, _name: &str, _total: Option<u64>) {}
    /// One page done.
    fn tick(&self) {}
    /// A step (`load`, `render`) is over and took `time`.
    fn took(&self, _step: &str, _time: std::time::Duration) {}
}

/// Shows nothing (`check`, `serve`, tests).
pub struct Silent;

impl Progress for Silent {}
