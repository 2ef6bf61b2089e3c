//! The progress bar of long writes: bytes of input read, events, and the rate, on stderr when it
//! is a terminal; nothing otherwise (CI logs, pipes).

use std::io::IsTerminal;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// A bar over the inputs' total size (a spinner when it is unknown, e.g. stdin).
#[derive(Debug)]
pub struct Progress {
    bar: Option<ProgressBar>,
    /// Bytes read so far, counted by the inputs' readers.
    pub read: Arc<AtomicU64>,
}

impl Progress {
    /// A bar when stderr is a terminal and `enabled`.
    pub fn new(enabled: bool, total_bytes: Option<u64>) -> Progress {
        let read = Arc::new(AtomicU64::new(0));
        if !enabled || !std::io::stderr().is_terminal() {
            return Progress { bar: None, read };
        }
        let bar = match total_bytes {
            Some(n) => ProgressBar::with_draw_target(Some(n), ProgressDrawTarget::stderr()).with_style(
                ProgressStyle::with_template("{bar:40} {bytes}/{total_bytes} {msg} ({eta} left)")
                    .expect("a valid template"),
            ),
            None => ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr())
                .with_style(ProgressStyle::with_template("{spinner} {bytes} {msg}").expect("a valid template")),
        };
        bar.enable_steady_tick(Duration::from_millis(200));
        Progress { bar: Some(bar), read }
    }

    /// Updates the bar with the bytes read and the events seen.
    pub fn update(&self, events: usize) {
        if let Some(bar) = &self.bar {
            bar.set_position(self.read.load(Ordering::Relaxed));
            bar.set_message(format!("{events} events"));
        }
    }

    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
