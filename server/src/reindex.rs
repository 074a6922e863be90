//! `hoego reindex`: rebuilds the search index from the database, with a progress bar.

use indicatif::{ProgressBar, ProgressStyle};

use crate::config::{DataArgs, DisplayArgs};
use crate::search::Search;

pub async fn run(data: &DataArgs) -> anyhow::Result<()> {
    let data_dir = data.data_dir.as_path();
    let display = DisplayArgs::default();
    let store = crate::open_store(data, &display).await?;
    let (search, _) = Search::open(data_dir, display.tz)?;
    let bar = ProgressBar::new(0).with_style(
        ProgressStyle::with_template(
            "{spinner} indexing [{bar:40}] {pos}/{len} incidents ({per_sec}, {eta} left)",
        )?
        .progress_chars("=> "),
    );
    let shown = bar.clone();
    let started = std::time::Instant::now();
    let documents = search
        .rebuild(&store, move |done, total| {
            shown.set_length(total);
            shown.set_position(done);
        })
        .await?;
    bar.finish_and_clear();
    println!(
        "indexed {documents} incidents into {} in {:.1} s",
        Search::dir(data_dir).display(),
        started.elapsed().as_secs_f32()
    );
    Ok(())
}
