//! Integration tests: the real server on a free port over a fresh SQLite file.

mod helpers;

mod action_items;
mod alertmanager;
mod alerts;
mod documents;
mod five_whys;
mod incidents;
mod insights;
mod load_tests;
mod monitoring;
mod notifications;
mod openapi;
mod pages;
mod relevance;
mod reliability;
mod round_trip;
mod scenario_pages;
mod scenarios;
mod search;
mod security;
mod timeline;
