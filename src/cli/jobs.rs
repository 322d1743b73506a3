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

impl JobsArgs {
    /// `work` applied to every item, on up to `--jobs` threads, results in the order of
    /// `items`. A single item runs on the calling thread: no pool is started for it.
    pub fn map<I, T, F>(&self, items: &[I], work: F) -> Vec<T>
    where
        I: Sync,
        T: Send,
        F: Fn(&I) -> T + Sync + Send,
    {
        if items.len() <= 1 || self.jobs.is_some_and(|j| j.get() == 1) {
            return items.iter().map(work).collect();
        }
        let run = || items.par_iter().map(&work).collect();
        match self.jobs {
            // Without `-j`, rayon's global pool: one thread per core, or RAYON_NUM_THREADS.
            None => run(),
            Some(jobs) => match rayon::ThreadPoolBuilder::new()
                .num_threads(jobs.get())
                .build()
            {
                Ok(pool) => pool.install(run),
                // No threads to be had: the work is done on this one.
                Err(_) => items.iter().map(work).collect(),
            },
        }
    }
}
