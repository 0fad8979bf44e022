//! The reporter task: the one owner of the terminal during a run. Workers
//! send [`Event`]s; the reporter draws progress bars (when the output mode
//! says so), streams ndjson events, and collects the per-workspace lines for
//! the final table or document.

use std::collections::HashMap;
use std::time::Duration;

use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

use super::event::{Event, WorkspaceLine};
use super::mode::OutputMode;
use super::printable::printable;
use crate::cli::Format;

/// At most this many per-workspace lines under the fleet bar; the rest are
/// counted in the bar's message.
const MAX_ACTIVE_LINES: usize = 8;

/// `None` closes the reporter.
type Message = Option<Event>;

/// A cheap, cloneable sender of events (one per worker).
#[derive(Clone)]
pub struct Reporter {
    tx: mpsc::UnboundedSender<Message>,
}

impl Reporter {
    pub fn send(&self, event: Event) {
        // The reporter outlives every worker; a send after it closed is a
        // bug in the caller's ordering, and losing a progress event then is
        // harmless.
        let _ = self.tx.send(Some(event));
    }
}

/// The running reporter; [`ReporterTask::finish`] returns the lines.
pub struct ReporterTask {
    tx: mpsc::UnboundedSender<Message>,
    handle: JoinHandle<Vec<WorkspaceLine>>,
}

impl ReporterTask {
    /// Stops the reporter (clearing any bars) and returns every
    /// `WorkspaceFinished` line in arrival order.
    pub async fn finish(self) -> Vec<WorkspaceLine> {
        let _ = self.tx.send(None);
        self.handle.await.unwrap_or_default()
    }
}

/// Starts the reporter for one run.
pub fn start(mode: OutputMode, format: Format) -> (Reporter, ReporterTask) {
    let (tx, rx) = mpsc::unbounded_channel();
    let handle = tokio::spawn(run(rx, mode, format));
    (Reporter { tx: tx.clone() }, ReporterTask { tx, handle })
}

async fn run(
    mut rx: mpsc::UnboundedReceiver<Message>,
    mode: OutputMode,
    format: Format,
) -> Vec<WorkspaceLine> {
    let mut bars = mode.bars.then(Bars::new);
    let mut lines = Vec::new();
    while let Some(Some(event)) = rx.recv().await {
        if format == Format::Ndjson {
            super::json::write_event(&event);
        }
        if let Some(bars) = bars.as_mut() {
            bars.update(&event);
        }
        if let Event::WorkspaceFinished(line) = event {
            lines.push(line);
        }
    }
    if let Some(bars) = bars {
        bars.clear();
    }
    lines
}

/// The fleet bar and a spinner per active workspace.
struct Bars {
    multi: MultiProgress,
    fleet: ProgressBar,
    active: HashMap<String, ProgressBar>,
    hidden_active: usize,
}

impl Bars {
    fn new() -> Bars {
        let multi = MultiProgress::with_draw_target(ProgressDrawTarget::stderr());
        let fleet = multi.add(ProgressBar::new(0));
        fleet.set_style(
            ProgressStyle::with_template(
                "{spinner} [{elapsed_precise}] {wide_bar} {pos}/{len} workspaces  {per_sec}  ETA {eta}  {msg}",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        fleet.enable_steady_tick(Duration::from_millis(120));
        Bars {
            multi,
            fleet,
            active: HashMap::new(),
            hidden_active: 0,
        }
    }

    fn update(&mut self, event: &Event) {
        match event {
            Event::RunStarted { total, .. } => self.fleet.set_length(*total as u64),
            Event::WorkspaceStarted { workspace } => {
                if self.active.len() < MAX_ACTIVE_LINES {
                    let line = self.multi.add(ProgressBar::new_spinner());
                    line.set_style(
                        ProgressStyle::with_template("  {spinner} {prefix:.bold} {msg}")
                            .unwrap_or_else(|_| ProgressStyle::default_spinner()),
                    );
                    line.set_prefix(printable(workspace).into_owned());
                    line.set_message("connecting");
                    line.enable_steady_tick(Duration::from_millis(120));
                    self.active.insert(workspace.clone(), line);
                } else {
                    self.hidden_active += 1;
                }
                self.refresh_message();
            }
            Event::MigrationStarted {
                workspace,
                version,
                name,
            } => {
                if let Some(line) = self.active.get(workspace) {
                    line.set_message(format!("{version} {name}"));
                }
            }
            Event::MigrationFinished { .. } => {}
            Event::WorkspaceFinished(done) => {
                match self.active.remove(&done.workspace) {
                    Some(line) => {
                        line.finish_and_clear();
                        self.multi.remove(&line);
                    }
                    None => self.hidden_active = self.hidden_active.saturating_sub(1),
                }
                self.fleet.inc(1);
                self.refresh_message();
            }
        }
    }

    fn refresh_message(&self) {
        if self.hidden_active > 0 {
            self.fleet
                .set_message(format!("(+{} more active)", self.hidden_active));
        } else {
            self.fleet.set_message("");
        }
    }

    fn clear(self) {
        for line in self.active.values() {
            line.finish_and_clear();
        }
        self.fleet.finish_and_clear();
        let _ = self.multi.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::event::Status;

    #[tokio::test]
    async fn collects_finished_lines_in_order() {
        let mode = OutputMode {
            bars: false,
            color: false,
            chatty: false,
        };
        let (reporter, task) = start(mode, Format::Table);
        let worker = reporter.clone();
        tokio::spawn(async move {
            worker.send(Event::WorkspaceStarted {
                workspace: "a".into(),
            });
            worker.send(Event::WorkspaceFinished(WorkspaceLine::new(
                "a",
                Status::Applied,
            )));
            worker.send(Event::WorkspaceFinished(WorkspaceLine::new(
                "b",
                Status::Failed,
            )));
        })
        .await
        .unwrap();
        let lines = task.finish().await;
        let ids: Vec<&str> = lines.iter().map(|l| l.workspace.as_str()).collect();
        assert_eq!(ids, ["a", "b"]);
    }
}
