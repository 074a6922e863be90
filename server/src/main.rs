//! `hoego`: parses the command line and hands over to the library.

use clap::Parser;
use server::config::{Cli, Command, DisplayArgs};
use tracing_subscriber::EnvFilter;

/// Server-side rendering allocates many short-lived strings and nodes per request; mimalloc
/// serves that pattern markedly faster than the system allocator (see docs/benchmarks.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> anyhow::Result<()> {
    server::runtime()?.block_on(run())
}

async fn run() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn")),
        )
        .init();
    match Cli::parse().command {
        Command::Serve(args) => {
            let backend = server::open_backend(&args.data, &args.display)
                .await?
                .with_options(args.options());
            let listener = tokio::net::TcpListener::bind(args.addr).await?;
            server::serve(listener, backend, &args.site_root, args.limits.limits()).await
        }
        Command::Seed(args) => {
            let store = server::open_store(&args, &DisplayArgs::default()).await?;
            let loaded = server::seed::load(&store).await?;
            match loaded {
                0 => println!("database already has incidents; nothing seeded"),
                n => println!("seeded {n} postmortems into {}", args.data_dir.display()),
            }
            match server::seed::load_scenarios(&store).await? {
                0 => {}
                n => println!("imported the seed report's {n} failure scenarios"),
            }
            server::cli::demo_admin(&store).await
        }
        Command::Reindex(args) => server::reindex::run(&args).await,
        Command::User(args) => {
            let store = server::open_store(&args.data, &DisplayArgs::default()).await?;
            server::cli::user(store, args.action).await
        }
        Command::Token(args) => {
            let store = server::open_store(&args.data, &DisplayArgs::default()).await?;
            server::cli::token(store, args.action).await
        }
        Command::Import(args) => {
            let backend = server::open_backend(&args.data, &DisplayArgs::default()).await?;
            server::cli::import(&backend, args).await
        }
        Command::Export(args) => {
            let store = server::open_store(&args.data, &args.display).await?;
            server::cli::export(&store, args).await
        }
        Command::Check(args) => {
            let store = server::open_store(&args, &DisplayArgs::default()).await?;
            let (search, _) =
                server::search::Search::open(&args.data_dir, DisplayArgs::default().tz)?;
            let report = search.check(&store).await?;
            print!("{report}");
            if !report.agrees() {
                std::process::exit(1);
            }
            Ok(())
        }
        Command::Backup(args) => {
            let done = server::backup::backup(&args.data, &args.file).await?;
            println!(
                "backed up {} incidents to {} ({} bytes)",
                done.incidents,
                args.file.display(),
                done.bytes
            );
            Ok(())
        }
        Command::Restore(args) => {
            let done = server::backup::restore(&args.data, &args.file).await?;
            println!(
                "restored {} incidents from {}; search index rebuilt",
                done.incidents,
                args.file.display()
            );
            Ok(())
        }
        Command::Generate(args) => {
            let store = server::open_store(&args.data, &DisplayArgs::default()).await?;
            server::generate::fill(&store, args.incidents).await
        }
    }
}
