//! Alert events: the list (`/alerts`) and one alert (`/alerts/{id}`).

pub mod detail;
pub mod list;
