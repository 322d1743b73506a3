//! Work on every core: the specs of a run are independent, so the commands that compile many
//! map them over a pool of threads and get the results back in input order, so what is printed
//! and written is the same whatever the number of threads.

use clap::Args;
use rayon::prelude::*;
use std::num::NonZeroUsize;

#[derive(Args, Clone, Copy, Debug, Default)]
pub struct JobsArgs {
    /// Number of threads to compile with [default: one per core]
    #[arg(short = 'j', long = "jobs", value_name = "N")]
    jobs: Option<NonZeroUsize>,
}

/// Where work runs.
enum Pool {
    /// This thread: one item, `-j 1`, or no thread could be started.
    Here,
    /// rayon's global pool: one thread per core, or `RAYON_NUM_THREADS`.
    Global,
    /// A pool of `-j N` threads.
    Sized(rayon::ThreadPool),
}

impl JobsArgs {
    fn pool(&self, items: usize) -> Pool {
        match self.jobs {
            _ if items <= 1 => Pool::Here,
            Some(jobs) if jobs.get() == 1 => Pool::Here,
            None => Pool::Global,
            Some(jobs) => rayon::ThreadPoolBuilder::new()
                .num_threads(jobs.get())
                .build()
                .map_or(Pool::Here, Pool::Sized),
        }
    }

    /// `work` applied to every item, on up to `--jobs` threads, results in the order of
    /// `items`. A single item runs on the calling thread: no pool is started for it.
    pub fn map<I, T, F>(&self, items: &[I], work: F) -> Vec<T>
    where
        I: Sync,
        T: Send,
        F: Fn(&I) -> T + Sync + Send,
    {
        match self.pool(items.len()) {
            Pool::Here => items.iter().map(work).collect(),
            Pool::Global => items.par_iter().map(work).collect(),
            Pool::Sized(pool) => pool.install(|| items.par_iter().map(work).collect()),
        }
    }

    /// [`JobsArgs::map`] for work that takes its item.
    pub fn map_owned<I, T, F>(&self, items: Vec<I>, work: F) -> Vec<T>
    where
        I: Send,
        T: Send,
        F: Fn(I) -> T + Sync + Send,
    {
        match self.pool(items.len()) {
            Pool::Here => items.into_iter().map(work).collect(),
            Pool::Global => items.into_par_iter().map(work).collect(),
            Pool::Sized(pool) => pool.install(|| items.into_par_iter().map(work).collect()),
        }
    }
}
