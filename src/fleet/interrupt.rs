//! Ctrl-C as DESIGN.md promises: the first one stops scheduling and lets
//! in-flight workspaces finish their current migration; the second aborts
//! (in-flight connections are dropped, so their open transactions roll back
//! on the server).

use std::sync::Arc;
use std::sync::atomic::{AtomicU8, Ordering};

use tokio::sync::Notify;

/// Shared interrupt state; clones observe the same signal.
#[derive(Debug, Clone, Default)]
pub struct Interrupt {
    inner: Arc<Inner>,
}

#[derive(Debug, Default)]
struct Inner {
    presses: AtomicU8,
    changed: Notify,
}

impl Interrupt {
    pub fn new() -> Interrupt {
        Interrupt::default()
    }

    /// Listens for Ctrl-C (SIGINT) and, on Unix, SIGTERM (Kubernetes stops
    /// pods with it) for the life of the process.
    pub fn listen_for_signals(&self) {
        let this = self.clone();
        tokio::spawn(async move {
            while tokio::signal::ctrl_c().await.is_ok() {
                this.press();
            }
        });
        #[cfg(unix)]
        {
            let this = self.clone();
            tokio::spawn(async move {
                use tokio::signal::unix::{SignalKind, signal};
                if let Ok(mut term) = signal(SignalKind::terminate()) {
                    while term.recv().await.is_some() {
                        this.press();
                    }
                }
            });
        }
    }

    /// Records one interrupt (what a signal handler calls).
    pub fn press(&self) {
        self.inner.presses.fetch_add(1, Ordering::SeqCst);
        self.inner.changed.notify_waiters();
    }

    /// Schedule nothing new.
    pub fn stop_requested(&self) -> bool {
        self.inner.presses.load(Ordering::SeqCst) >= 1
    }

    /// Abort in-flight work.
    pub fn abort_requested(&self) -> bool {
        self.inner.presses.load(Ordering::SeqCst) >= 2
    }

    /// Resolves at the next press after this call.
    pub async fn pressed(&self) {
        self.inner.changed.notified().await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_press_stops_two_abort() {
        let interrupt = Interrupt::new();
        assert!(!interrupt.stop_requested());
        interrupt.press();
        assert!(interrupt.stop_requested() && !interrupt.abort_requested());
        interrupt.clone().press();
        assert!(interrupt.abort_requested());
    }
}
