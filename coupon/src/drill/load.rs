//! The drill's load: the load generator's `issue` and `top-products` runs side by side, open
//! loop at fixed rates, until the drill says stop. The same load runs before, during and after
//! the fault, so what changes is the fault alone.

use std::time::Duration;

use anyhow::{Context, Result};
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::loadtest::{LoadtestArgs, Scenario, Summary, execute_until};

/// Rates and in-flight caps of the drill's load.
#[derive(Debug, Clone, Copy)]
pub struct LoadShape {
    /// Issue requests a second (each from a new user).
    pub issue_rate: u32,
    /// Top-products requests a second.
    pub top_rate: u32,
}

impl Default for LoadShape {
    fn default() -> Self {
        LoadShape {
            issue_rate: 200,
            top_rate: 100,
        }
    }
}

/// Requests in flight at most, per run: what a slowed dependency can have queued on it. Issuing
/// under 120 ms of producer latency at 200/s needs 24; Redis's shrunk pool makes the 56 wait
/// at most 56 × 20 ms / 5 ≈ 0.22 s, well inside its 1 s deadline.
const ISSUE_IN_FLIGHT: u32 = 40;
const TOP_IN_FLIGHT: u32 = 16;

/// The load, running.
pub struct Load {
    stop: watch::Sender<bool>,
    runs: Vec<(Scenario, JoinHandle<Result<Summary>>)>,
}

impl Load {
    /// Starts both runs against `target`; the issue run creates its event with `admin_token`.
    pub fn start(target: &str, admin_token: &str, shape: LoadShape) -> Load {
        let (stop, stopped) = watch::channel(false);
        let mut runs = Vec::new();
        for (scenario, rate, cap) in [
            (Scenario::Issue, shape.issue_rate, ISSUE_IN_FLIGHT),
            (Scenario::TopProducts, shape.top_rate, TOP_IN_FLIGHT),
        ] {
            if rate == 0 {
                continue;
            }
            let mut args = LoadtestArgs::new(target, scenario);
            args.rate = Some(rate);
            args.vus = cap;
            args.ramp_up = Duration::from_secs(1);
            // A backstop: the drill stops the load when it is done.
            args.duration = Duration::from_secs(3600);
            args.admin_token = Some(admin_token.to_owned());
            let mut stopped = stopped.clone();
            runs.push((
                scenario,
                tokio::spawn(async move {
                    execute_until(&args, async move {
                        let _ = stopped.wait_for(|stop| *stop).await;
                    })
                    .await
                }),
            ));
        }
        Load { stop, runs }
    }

    /// Whether a run has ended early (it failed: its event could not be created, say).
    pub fn failed_early(&self) -> bool {
        self.runs.iter().any(|(_, run)| run.is_finished())
    }

    /// Stops both runs and returns their summaries (the issue run's after the pipeline drained).
    pub async fn stop(self) -> Result<Vec<Summary>> {
        let _ = self.stop.send(true);
        let mut summaries = Vec::new();
        for (scenario, run) in self.runs {
            let summary = run
                .await
                .with_context(|| format!("the {} load task", scenario.as_str()))?
                .with_context(|| format!("the {} load", scenario.as_str()))?;
            summaries.push(summary);
        }
        Ok(summaries)
    }
}
