//! The ordered per-commit map on worker threads.
//!
//! Owns the thread plumbing and nothing else: while the walk (libgit2, on the
//! calling thread) hands commits on, workers (one per core, at most four) do
//! the per-commit work in batches, each with its own [`Reader`] (and the
//! trees and blobs it reads, with their cache) and its own state `S` (what it
//! keeps from one commit for the next, such as parsed sources), and finished
//! batches are moved into the result in order as they come, so a long range
//! is not held twice. When the walk takes parents from git's commit-graph it
//! reads no message itself, and the workers read them, on every core.

use std::collections::BTreeMap;
use std::sync::mpsc;
use std::sync::{Arc, Mutex};

use crate::error::{Error, Result};
use crate::history::{Objects, ReadCommit, Reader, Repo};

/// Commits per hand-over at most: one wake-up of a worker per batch, not per commit.
const BATCH: usize = 512;

/// Commits of the first hand-over; each next one twice as many, up to
/// [`BATCH`], so that a short range (most releases) is shared between the
/// workers too.
const FIRST_BATCH: usize = 32;

/// Runs `walk`, mapping the commits it hands on with `work` on other threads.
/// `walk` hands each commit to the function it is given and keeps the index
/// that function returns; it returns its result and the indices it kept, in
/// order. Returns that result and what `work` made of the kept commits, in
/// the same order. Each worker hands `work` the commit's index in the walk's
/// order and its own `S`, made at its start.
///
/// # Errors
///
/// What `walk` or `work` returns; an I/O error when a thread cannot start or fails.
pub fn map_while_walking<W, T, S, F>(
    repo: &Repo,
    work: F,
    walk: impl FnOnce(&mut dyn FnMut(ReadCommit) -> usize) -> Result<(W, Vec<usize>)>,
) -> Result<(W, Vec<T>)>
where
    T: Send,
    S: Default,
    F: Fn(usize, ReadCommit, &Reader, &dyn Objects, &S) -> Result<T> + Sync,
{
    let workers = cores().min(4);
    std::thread::scope(|scope| {
        // Each batch with its place in the order and its first commit's index.
        let (sender, receiver) = mpsc::sync_channel::<(usize, usize, Vec<ReadCommit>)>(2 * workers);
        let receiver = Arc::new(Mutex::new(receiver));
        // Finished batches come back as they are done, so that they are moved into the
        // result (and freed) while the walk goes on, not all held until it ends.
        let (done_sender, done) = mpsc::channel::<(usize, Vec<T>)>();
        let mut handles = Vec::with_capacity(workers);
        for _ in 0..workers {
            let receiver = Arc::clone(&receiver);
            let reader = repo.reader();
            let done_sender = done_sender.clone();
            let work = &work;
            let run = move || -> Result<()> {
                let objects = reader.objects()?;
                let state = S::default();
                loop {
                    // A poisoned lock means another worker panicked; join reports that below.
                    let next = match receiver.lock() {
                        Ok(receiver) => receiver.recv(),
                        Err(_) => break,
                    };
                    let Ok((seq, first, batch)) = next else { break };
                    let mapped = batch
                        .into_iter()
                        .enumerate()
                        .map(|(at, read)| work(first + at, read, &reader, &objects, &state))
                        .collect::<Result<Vec<_>>>()?;
                    if done_sender.send((seq, mapped)).is_err() {
                        break;
                    }
                }
                Ok(())
            };
            handles.push(
                std::thread::Builder::new()
                    .name("classify".into())
                    .spawn_scoped(scope, run)
                    .map_err(|e| Error::io(format!("cannot start a thread: {e}")))?,
            );
        }
        drop(receiver);
        drop(done_sender);
        let mut mapped = Ordered::default();
        let (mut count, mut seq, mut size) = (0, 0, FIRST_BATCH);
        let mut batch = Vec::with_capacity(size);
        let walked = walk(&mut |read| {
            batch.push(read);
            count += 1;
            if batch.len() == size {
                size = (2 * size).min(BATCH);
                // The workers only stop early on an error, which join reports below.
                let full = std::mem::replace(&mut batch, Vec::with_capacity(size));
                let _ = sender.send((seq, count - full.len(), full));
                seq += 1;
                while let Ok((seq, finished)) = done.try_recv() {
                    mapped.take(seq, finished);
                }
            }
            count - 1
        });
        let _ = sender.send((seq, count - batch.len(), batch));
        drop(sender);
        for (seq, finished) in done.iter() {
            mapped.take(seq, finished);
        }
        for handle in handles {
            handle
                .join()
                .map_err(|_| Error::io("classifying commits failed unexpectedly"))??;
        }
        let (walked, kept) = walked?;
        Ok((walked, keep(mapped.items, &kept)))
    })
}

/// Finished batches put back in the walk's order.
struct Ordered<T> {
    items: Vec<T>,
    /// The place of the batch that comes next.
    next: usize,
    early: BTreeMap<usize, Vec<T>>,
}

impl<T> Default for Ordered<T> {
    fn default() -> Self {
        Self {
            items: Vec::new(),
            next: 0,
            early: BTreeMap::new(),
        }
    }
}

impl<T> Ordered<T> {
    /// Takes batch `seq`, and moves the batches that are next in order into `items`.
    fn take(&mut self, seq: usize, batch: Vec<T>) {
        self.early.insert(seq, batch);
        while let Some(batch) = self.early.remove(&self.next) {
            self.next += 1;
            if self.items.capacity() - self.items.len() < batch.len() {
                // An eighth more, not twice as much: a long range wastes little room.
                self.items
                    .reserve_exact(batch.len().max(self.items.len() / 8));
            }
            self.items.extend(batch);
        }
    }
}

/// The items at the `kept` indices, in order.
fn keep<T>(items: Vec<T>, kept: &[usize]) -> Vec<T> {
    // Usually every item is kept, in order: no second copy then.
    if kept.len() == items.len() && kept.iter().enumerate().all(|(i, &k)| i == k) {
        return items;
    }
    let mut slots: Vec<Option<T>> = items.into_iter().map(Some).collect();
    kept.iter()
        .filter_map(|&i| slots.get_mut(i)?.take())
        .collect()
}

/// The cores this process may use, found once: finding them reads the
/// process's cgroup files, and a backtest maps thousands of ranges.
pub fn cores() -> usize {
    static CORES: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    *CORES.get_or_init(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
}

/// Records below which a value is freed where it is: starting a thread
/// costs more than freeing a short range (backtest settles thousands).
const DROP_ELSEWHERE_FROM: usize = 16_384;

/// Drops `value`, of `records` records, on a thread of its own where there
/// is a second core and they are many: a long range's records are as many
/// allocations to free, time the caller need not wait for. Here otherwise,
/// or when no thread starts.
pub fn drop_elsewhere<T: Send + 'static>(value: T, records: usize) {
    if records < DROP_ELSEWHERE_FROM || cores() < 2 {
        drop(value);
    } else {
        // A thread that cannot start drops its closure, and `value` with it.
        let _ = std::thread::Builder::new()
            .name("drop".into())
            .spawn(move || drop(value));
    }
}

/// `items` split in two halves in order, the older (first) half mapped by
/// `older` on another thread while `newer` maps the rest here, the results
/// joined in order; all on this thread where there is one core.
///
/// # Errors
///
/// What either returns; an I/O error when the other thread fails.
pub fn in_halves<T: Send, R: Send>(
    mut items: Vec<T>,
    older: impl FnOnce(Vec<T>) -> Result<Vec<R>> + Send,
    newer: impl FnOnce(Vec<T>) -> Result<Vec<R>>,
) -> Result<Vec<R>> {
    if cores() < 2 {
        return newer(items);
    }
    let rest = items.split_off(items.len() / 2);
    std::thread::scope(|scope| {
        let first = scope.spawn(move || older(items));
        let rest = newer(rest)?;
        let mut out = first
            .join()
            .map_err(|_| Error::io("a worker thread failed unexpectedly"))??;
        out.extend(rest);
        Ok(out)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn batches_of_growing_sizes_finished_out_of_order_come_back_in_order() {
        // The sizes the walk hands on: 32, 64, ... up to 512, then a short last one.
        let mut sizes = vec![FIRST_BATCH];
        while sizes.iter().sum::<usize>() < 3000 {
            let last = sizes.last().copied().unwrap_or(FIRST_BATCH);
            sizes.push((2 * last).min(BATCH));
        }
        sizes.push(7);
        let mut batches = Vec::new();
        let mut first = 0;
        for (seq, size) in sizes.iter().enumerate() {
            batches.push((seq, (first..first + size).collect::<Vec<usize>>()));
            first += size;
        }
        // Finished in another order: every other one first, then the rest backwards.
        let (even, odd): (Vec<_>, Vec<_>) = batches.into_iter().partition(|(seq, _)| seq % 2 == 0);
        let mut ordered = Ordered::default();
        for (seq, batch) in even.into_iter().chain(odd.into_iter().rev()) {
            ordered.take(seq, batch);
        }
        assert_eq!(ordered.items, (0..first).collect::<Vec<_>>());
        assert!(ordered.early.is_empty());
    }
}
