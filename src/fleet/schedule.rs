//! The fleet scheduler: runs one job per workspace with bounded global
//! concurrency, an optional cap per SQL Server host, canaries first, an error
//! budget and Ctrl-C handling. Generic over the item and the job's outcome,
//! so it is tested without any database.
//!
//! Fairness across servers: pending items wait in one queue per server and
//! the scheduler takes from the servers round-robin, so a saturated server
//! never blocks work for the others (no head-of-line blocking).

use std::collections::{HashMap, VecDeque};
use std::future::Future;

use futures_util::future::BoxFuture;
use tokio::task::JoinSet;

use super::{FailureBudget, Interrupt};

/// Rollout controls of one run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FleetOptions {
    /// Workspaces in flight at once (>= 1).
    pub concurrency: usize,
    /// Workspaces in flight at once on one SQL Server host.
    pub per_server: Option<usize>,
    /// Run this many workspaces first, wait for them, stop on any failure.
    pub canary: usize,
    pub budget: Option<FailureBudget>,
}

impl Default for FleetOptions {
    fn default() -> Self {
        FleetOptions {
            concurrency: 16,
            per_server: None,
            canary: 0,
            budget: None,
        }
    }
}

/// Where the workspaces of a run come from.
pub enum Source<T> {
    /// A known list, in order.
    List(Vec<T>),
    /// Items pulled one at a time when there is room (cooperative queue
    /// mode); `None` means no more work.
    Pull(Box<dyn FnMut() -> BoxFuture<'static, Option<T>> + Send>),
}

/// Why a run stopped scheduling before its source was exhausted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StopReason {
    CanaryFailed,
    BudgetSpent,
    Interrupted,
    Aborted,
}

/// What happened to the items that did not produce an outcome.
#[derive(Debug)]
pub struct FleetEnd<T> {
    /// Items never started (stopped, budget spent, canary failed).
    pub not_reached: Vec<T>,
    /// Items whose job was aborted (second Ctrl-C) or panicked, with a cause.
    pub interrupted: Vec<(T, String)>,
    pub stopped: Option<StopReason>,
    pub failures: usize,
}

/// Runs `job` for every item of `source` and hands each outcome to
/// `on_finished` as soon as it is known. `total` sizes a percentage budget.
#[allow(clippy::too_many_arguments)]
pub async fn run<T, O, Job, Fut>(
    source: Source<T>,
    total: usize,
    options: &FleetOptions,
    interrupt: &Interrupt,
    server_of: impl Fn(&T) -> String,
    job: Job,
    is_failure: impl Fn(&O) -> bool,
    mut on_finished: impl FnMut(O),
) -> FleetEnd<T>
where
    T: Clone + Send + 'static,
    O: Send + 'static,
    Job: Fn(T) -> Fut,
    Fut: Future<Output = O> + Send + 'static,
{
    let limit = options.budget.map(|b| b.limit(total));
    let mut state = State::new(options);
    let mut pull = None;
    match source {
        Source::List(items) => {
            let mut items = VecDeque::from(items);
            let canaries: Vec<T> = items.drain(..options.canary.min(items.len())).collect();
            if !canaries.is_empty() {
                state.enqueue_all(canaries, &server_of);
                state
                    .drive(
                        interrupt,
                        limit,
                        &server_of,
                        &job,
                        &is_failure,
                        &mut on_finished,
                    )
                    .await;
                if state.failures > 0 && state.stopped.is_none() {
                    state.stopped = Some(StopReason::CanaryFailed);
                }
            }
            state.enqueue_all(items, &server_of);
        }
        Source::Pull(puller) => pull = Some(puller),
    }
    if state.stopped.is_none() {
        state.pull = pull;
        state
            .drive(
                interrupt,
                limit,
                &server_of,
                &job,
                &is_failure,
                &mut on_finished,
            )
            .await;
    }
    state.finish()
}

/// What `JoinSet::join_next_with_id` yields for one task.
type Joined<O> = Result<(tokio::task::Id, (String, O)), tokio::task::JoinError>;

struct State<'a, T, O> {
    options: &'a FleetOptions,
    /// Pending items per server, servers in first-seen order; the front
    /// queue is the next to be asked (round-robin).
    queues: VecDeque<(String, VecDeque<T>)>,
    in_flight: JoinSet<(String, O)>,
    /// The item behind each running task, to report it if the task is
    /// aborted or panics.
    running: HashMap<tokio::task::Id, (String, T)>,
    per_server: HashMap<String, usize>,
    pull: Option<Box<dyn FnMut() -> BoxFuture<'static, Option<T>> + Send>>,
    failures: usize,
    stopped: Option<StopReason>,
    interrupted: Vec<(T, String)>,
}

impl<'a, T, O> State<'a, T, O>
where
    T: Clone + Send + 'static,
    O: Send + 'static,
{
    fn new(options: &'a FleetOptions) -> Self {
        State {
            options,
            queues: VecDeque::new(),
            in_flight: JoinSet::new(),
            running: HashMap::new(),
            per_server: HashMap::new(),
            pull: None,
            failures: 0,
            stopped: None,
            interrupted: Vec::new(),
        }
    }

    fn enqueue_all(
        &mut self,
        items: impl IntoIterator<Item = T>,
        server_of: &impl Fn(&T) -> String,
    ) {
        for item in items {
            self.enqueue(server_of(&item), item);
        }
    }

    fn enqueue(&mut self, server: String, item: T) {
        match self.queues.iter_mut().find(|(s, _)| *s == server) {
            Some((_, queue)) => queue.push_back(item),
            None => self.queues.push_back((server, VecDeque::from([item]))),
        }
    }

    fn has_room_on(&self, server: &str) -> bool {
        self.options
            .per_server
            .is_none_or(|cap| self.per_server.get(server).copied().unwrap_or(0) < cap)
    }

    /// The next item whose server has room, rotating through the servers.
    fn next_eligible(&mut self) -> Option<(String, T)> {
        for _ in 0..self.queues.len() {
            let (server, mut queue) = self.queues.pop_front()?;
            if self.has_room_on(&server) {
                if let Some(item) = queue.pop_front() {
                    if !queue.is_empty() {
                        self.queues.push_back((server.clone(), queue));
                    }
                    return Some((server, item));
                }
            } else {
                self.queues.push_back((server, queue));
            }
        }
        None
    }

    fn pending(&self) -> bool {
        self.queues.iter().any(|(_, q)| !q.is_empty())
    }

    fn should_stop(&mut self, interrupt: &Interrupt, limit: Option<usize>) -> bool {
        if self.stopped.is_some() {
            return true;
        }
        if interrupt.abort_requested() {
            self.stopped = Some(StopReason::Aborted);
        } else if interrupt.stop_requested() {
            self.stopped = Some(StopReason::Interrupted);
        } else if limit.is_some_and(|limit| self.failures >= limit) {
            self.stopped = Some(StopReason::BudgetSpent);
        }
        self.stopped.is_some()
    }

    fn spawn<Job, Fut>(&mut self, server: String, item: T, job: &Job)
    where
        Job: Fn(T) -> Fut,
        Fut: Future<Output = O> + Send + 'static,
    {
        *self.per_server.entry(server.clone()).or_default() += 1;
        let future = job(item.clone());
        let task_server = server.clone();
        let handle = self
            .in_flight
            .spawn(async move { (task_server, future.await) });
        self.running.insert(handle.id(), (server, item));
    }

    /// Schedules until the pending queues (and the puller) are exhausted or
    /// a stop condition holds, then waits for everything in flight.
    async fn drive<Job, Fut>(
        &mut self,
        interrupt: &Interrupt,
        limit: Option<usize>,
        server_of: &impl Fn(&T) -> String,
        job: &Job,
        is_failure: &impl Fn(&O) -> bool,
        on_finished: &mut impl FnMut(O),
    ) where
        Job: Fn(T) -> Fut,
        Fut: Future<Output = O> + Send + 'static,
    {
        loop {
            if interrupt.abort_requested() && self.stopped != Some(StopReason::Aborted) {
                self.stopped = Some(StopReason::Aborted);
                self.in_flight.abort_all();
            }
            while self.in_flight.len() < self.options.concurrency.max(1)
                && !self.should_stop(interrupt, limit)
            {
                if let Some((server, item)) = self.next_eligible() {
                    self.spawn(server, item, job);
                    continue;
                }
                // Pull new work only when nothing is parked behind a full server.
                if self.pending() {
                    break;
                }
                let Some(pull) = self.pull.as_mut() else {
                    break;
                };
                match pull().await {
                    Some(item) => self.enqueue(server_of(&item), item),
                    None => {
                        self.pull = None;
                        // A puller also ends early on an interrupt (it may
                        // wait long for other runners): record the stop.
                        self.should_stop(interrupt, limit);
                        break;
                    }
                }
            }
            if self.in_flight.is_empty() {
                return;
            }
            tokio::select! {
                joined = self.in_flight.join_next_with_id() => {
                    self.settle(joined, is_failure, on_finished);
                }
                // Re-checked at the top of the loop: stop or abort.
                () = interrupt.pressed() => {}
            }
        }
    }

    fn settle(
        &mut self,
        joined: Option<Joined<O>>,
        is_failure: &impl Fn(&O) -> bool,
        on_finished: &mut impl FnMut(O),
    ) {
        let Some(joined) = joined else { return };
        let id = match &joined {
            Ok((id, _)) => *id,
            Err(err) => err.id(),
        };
        let Some((server, item)) = self.running.remove(&id) else {
            return;
        };
        if let Some(count) = self.per_server.get_mut(&server) {
            *count = count.saturating_sub(1);
        }
        match joined {
            Ok((_, (_, outcome))) => {
                if is_failure(&outcome) {
                    self.failures += 1;
                }
                on_finished(outcome);
            }
            Err(err) if err.is_panic() => {
                self.failures += 1;
                self.interrupted.push((
                    item,
                    "internal error: the workspace task panicked".to_owned(),
                ));
            }
            Err(_) => self
                .interrupted
                .push((item, "aborted by a second interrupt".to_owned())),
        }
    }

    fn finish(mut self) -> FleetEnd<T> {
        let not_reached = self.queues.drain(..).flat_map(|(_, queue)| queue).collect();
        FleetEnd {
            not_reached,
            interrupted: self.interrupted,
            stopped: self.stopped,
            failures: self.failures,
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::{Arc, Mutex};
    use std::time::Duration;

    use super::*;

    /// A test item: an id, its server, and whether its job fails.
    #[derive(Debug, Clone, PartialEq)]
    struct Item {
        id: usize,
        server: usize,
        fails: bool,
    }

    fn items(n: usize, servers: usize) -> Vec<Item> {
        (0..n)
            .map(|id| Item {
                id,
                server: id % servers,
                fails: false,
            })
            .collect()
    }

    /// Concurrency observed overall and per server.
    #[derive(Default)]
    struct Probe {
        now: AtomicUsize,
        max: AtomicUsize,
        per_server: Mutex<HashMap<usize, (usize, usize)>>,
        started: Mutex<Vec<usize>>,
    }

    impl Probe {
        fn enter(&self, item: &Item) {
            let now = self.now.fetch_add(1, Ordering::SeqCst) + 1;
            self.max.fetch_max(now, Ordering::SeqCst);
            let mut per = self.per_server.lock().unwrap();
            let entry = per.entry(item.server).or_default();
            entry.0 += 1;
            entry.1 = entry.1.max(entry.0);
            self.started.lock().unwrap().push(item.id);
        }

        fn leave(&self, item: &Item) {
            self.now.fetch_sub(1, Ordering::SeqCst);
            self.per_server
                .lock()
                .unwrap()
                .get_mut(&item.server)
                .unwrap()
                .0 -= 1;
        }

        fn max_on_any_server(&self) -> usize {
            self.per_server
                .lock()
                .unwrap()
                .values()
                .map(|(_, max)| *max)
                .max()
                .unwrap_or(0)
        }
    }

    async fn run_list(
        list: Vec<Item>,
        options: FleetOptions,
        interrupt: &Interrupt,
    ) -> (Arc<Probe>, Vec<usize>, FleetEnd<Item>) {
        let probe = Arc::new(Probe::default());
        let mut done = Vec::new();
        let total = list.len();
        let job_probe = probe.clone();
        let end = run(
            Source::List(list),
            total,
            &options,
            interrupt,
            |item: &Item| format!("server-{}", item.server),
            move |item: Item| {
                let probe = job_probe.clone();
                async move {
                    probe.enter(&item);
                    tokio::time::sleep(Duration::from_millis(10 + (item.id as u64 % 7))).await;
                    probe.leave(&item);
                    (item.id, item.fails)
                }
            },
            |(_, failed): &(usize, bool)| *failed,
            |(id, _)| done.push(id),
        )
        .await;
        (probe, done, end)
    }

    #[tokio::test(start_paused = true)]
    async fn runs_everything_within_the_concurrency_bound() {
        let options = FleetOptions {
            concurrency: 8,
            ..FleetOptions::default()
        };
        let (probe, mut done, end) = run_list(items(100, 5), options, &Interrupt::new()).await;
        done.sort_unstable();
        assert_eq!(done, (0..100).collect::<Vec<_>>());
        assert_eq!(probe.max.load(Ordering::SeqCst), 8);
        assert!(end.not_reached.is_empty() && end.stopped.is_none());
    }

    #[tokio::test(start_paused = true)]
    async fn per_server_cap_holds_without_blocking_other_servers() {
        let options = FleetOptions {
            concurrency: 12,
            per_server: Some(2),
            ..FleetOptions::default()
        };
        let (probe, done, _) = run_list(items(120, 6), options, &Interrupt::new()).await;
        assert_eq!(done.len(), 120);
        assert_eq!(probe.max_on_any_server(), 2);
        // Six servers with room for two each fill all twelve slots.
        assert_eq!(probe.max.load(Ordering::SeqCst), 12);
    }

    #[tokio::test(start_paused = true)]
    async fn a_failing_canary_stops_the_run() {
        let mut list = items(50, 3);
        list[1].fails = true;
        let options = FleetOptions {
            concurrency: 8,
            canary: 3,
            ..FleetOptions::default()
        };
        let (probe, done, end) = run_list(list, options, &Interrupt::new()).await;
        assert_eq!(done.len(), 3);
        assert_eq!(probe.started.lock().unwrap().len(), 3);
        assert_eq!(end.stopped, Some(StopReason::CanaryFailed));
        assert_eq!(end.not_reached.len(), 47);
    }

    #[tokio::test(start_paused = true)]
    async fn healthy_canaries_run_first_then_the_rest() {
        let options = FleetOptions {
            concurrency: 8,
            canary: 3,
            ..FleetOptions::default()
        };
        let (probe, done, end) = run_list(items(30, 3), options, &Interrupt::new()).await;
        assert_eq!(done.len(), 30);
        let started = probe.started.lock().unwrap().clone();
        let mut first: Vec<usize> = started[..3].to_vec();
        first.sort_unstable();
        assert_eq!(first, vec![0, 1, 2]);
        assert!(end.stopped.is_none());
    }

    #[tokio::test(start_paused = true)]
    async fn the_error_budget_stops_scheduling() {
        let mut list = items(40, 1);
        for item in list.iter_mut().filter(|i| i.id % 2 == 0) {
            item.fails = true;
        }
        let options = FleetOptions {
            concurrency: 1,
            budget: Some(FailureBudget::Count(3)),
            ..FleetOptions::default()
        };
        let (_, done, end) = run_list(list, options, &Interrupt::new()).await;
        // One at a time: ids 0 (fail), 1, 2 (fail), 3, 4 (fail) then stop.
        assert_eq!(done, vec![0, 1, 2, 3, 4]);
        assert_eq!(end.failures, 3);
        assert_eq!(end.stopped, Some(StopReason::BudgetSpent));
        assert_eq!(end.not_reached.len(), 35);
    }

    #[tokio::test(start_paused = true)]
    async fn a_percentage_budget_counts_in_flight_work_that_finishes() {
        let list: Vec<Item> = (0..100)
            .map(|id| Item {
                id,
                server: 0,
                fails: true,
            })
            .collect();
        let options = FleetOptions {
            concurrency: 4,
            budget: Some(FailureBudget::Percent(10)),
            ..FleetOptions::default()
        };
        let (_, done, end) = run_list(list, options, &Interrupt::new()).await;
        // The budget (10) is spent; in-flight work (at most 3 more) finishes.
        assert!((10..=13).contains(&done.len()), "{}", done.len());
        assert_eq!(end.not_reached.len() + done.len(), 100);
        assert_eq!(end.stopped, Some(StopReason::BudgetSpent));
    }

    #[tokio::test(start_paused = true)]
    async fn one_interrupt_lets_in_flight_work_finish() {
        let interrupt = Interrupt::new();
        let presser = interrupt.clone();
        tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(25)).await;
            presser.press();
        });
        let options = FleetOptions {
            concurrency: 4,
            ..FleetOptions::default()
        };
        let (_, done, end) = run_list(items(100, 2), options, &interrupt).await;
        assert_eq!(end.stopped, Some(StopReason::Interrupted));
        assert!(end.interrupted.is_empty(), "nothing aborted");
        assert_eq!(done.len() + end.not_reached.len(), 100);
        assert!(done.len() < 100);
    }

    #[tokio::test(start_paused = true)]
    async fn two_interrupts_abort_in_flight_work() {
        let interrupt = Interrupt::new();
        let presser = interrupt.clone();
        tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(5)).await;
            presser.press();
            presser.press();
        });
        let options = FleetOptions {
            concurrency: 4,
            ..FleetOptions::default()
        };
        let (_, done, end) = run_list(items(100, 2), options, &interrupt).await;
        assert_eq!(end.stopped, Some(StopReason::Aborted));
        assert_eq!(end.interrupted.len(), 4);
        assert_eq!(done.len() + end.not_reached.len() + 4, 100);
    }

    #[tokio::test(start_paused = true)]
    async fn a_puller_that_ends_on_an_interrupt_stops_the_run() {
        // A queue puller may wait long for other runners; on Ctrl-C it
        // gives up, and the run must say it was interrupted (issue #7).
        let interrupt = Interrupt::new();
        let pressed = interrupt.clone();
        let source = Source::Pull(Box::new(move || {
            let pressed = pressed.clone();
            Box::pin(async move {
                pressed.press();
                None::<Item>
            })
        }));
        let end = run(
            source,
            0,
            &FleetOptions::default(),
            &interrupt,
            |item: &Item| item.server.to_string(),
            |item: Item| async move { item.id },
            |_| false,
            |_| {},
        )
        .await;
        assert_eq!(end.stopped, Some(StopReason::Interrupted));
    }

    #[tokio::test(start_paused = true)]
    async fn pulls_work_until_the_source_is_dry() {
        let next = Arc::new(AtomicUsize::new(0));
        let source = Source::Pull(Box::new(move || {
            let next = next.clone();
            Box::pin(async move {
                let id = next.fetch_add(1, Ordering::SeqCst);
                (id < 25).then_some(Item {
                    id,
                    server: id % 2,
                    fails: false,
                })
            })
        }));
        let mut done = Vec::new();
        let options = FleetOptions {
            concurrency: 3,
            per_server: Some(1),
            ..FleetOptions::default()
        };
        let end = run(
            source,
            0,
            &options,
            &Interrupt::new(),
            |item: &Item| item.server.to_string(),
            |item: Item| async move { item.id },
            |_| false,
            |id| done.push(id),
        )
        .await;
        done.sort_unstable();
        assert_eq!(done, (0..25).collect::<Vec<_>>());
        assert!(end.not_reached.is_empty());
    }

    #[tokio::test]
    async fn a_panicking_job_is_reported_not_propagated() {
        let mut done = Vec::new();
        let end = run(
            Source::List(vec![1, 2, 3]),
            3,
            &FleetOptions::default(),
            &Interrupt::new(),
            |_: &i32| String::new(),
            |n: i32| async move {
                assert!(n != 2, "boom");
                n
            },
            |_| false,
            |n| done.push(n),
        )
        .await;
        done.sort_unstable();
        assert_eq!(done, vec![1, 3]);
        assert_eq!(end.interrupted.len(), 1);
        assert_eq!(end.interrupted[0].0, 2);
        assert_eq!(end.failures, 1);
    }
}
