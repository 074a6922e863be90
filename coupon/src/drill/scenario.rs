//! The seed's three failure scenarios as drills: the faults that reproduce each under the
//! drill's load, and the alerts that must detect it.
//!
//! The faults are chosen so that the expected rule fires for certain under the drill's load
//! (by default 200 issues/s and 100 top-products requests/s, open loop), and so that nothing
//! else needs to break for it:
//!
//! - **redis-pool**: the pool shrinks from 50 to 5 connections and every Redis call takes
//!   20 ms longer, spent holding its connection: 250 calls/s fit through, the load offers 300,
//!   so all 5 are always in use (100 % > 90 %) while the queue for them stays well inside the
//!   1 s Redis deadline: no errors, p99 a few hundred ms.
//! - **kafka-lag**: the broker acknowledges 120 ms late (the send-latency p99 passes 100 ms at
//!   once) and the consumer stalls before writing each batch, so the lag grows by the issue
//!   rate (> 1,000 in about 5 s); requests are not slowed (coupons wait in the outbox) and
//!   MySQL is untouched.
//! - **mysql-pool**: 19 of the 20 MySQL connections are taken and held, and every MySQL call
//!   holds its connection 1 s longer, so the consumer's writes keep the last one busy: 20 of 20
//!   in use (100 % > 95 %). Issuing and cached top products never wait on MySQL.

use clap::ValueEnum;
use serde_json::{Value, json};

/// A scenario of the seed report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Scenario {
    /// Scenario 1: Redis connection-pool exhaustion (P1).
    RedisPool,
    /// Scenario 2: Kafka producer latency and consumer lag (P2).
    KafkaLag,
    /// Scenario 3: MySQL connection-pool exhaustion (P0).
    MysqlPool,
}

/// One fault: `PUT /admin/faults/{target}` with `body`.
pub struct Fault {
    pub target: &'static str,
    pub body: Value,
}

impl Scenario {
    pub const ALL: [Scenario; 3] = [Scenario::RedisPool, Scenario::KafkaLag, Scenario::MysqlPool];

    /// The `scenario` label of the rules that detect it.
    pub fn as_str(self) -> &'static str {
        match self {
            Scenario::RedisPool => "redis-pool",
            Scenario::KafkaLag => "kafka-lag",
            Scenario::MysqlPool => "mysql-pool",
        }
    }

    /// The faults that reproduce it, in the order they are injected.
    pub fn faults(self) -> Vec<Fault> {
        match self {
            Scenario::RedisPool => vec![Fault {
                target: "redis",
                body: json!({ "pool_size": 5, "latency_ms": 20 }),
            }],
            Scenario::KafkaLag => vec![
                Fault {
                    target: "producer",
                    body: json!({ "latency_ms": 120 }),
                },
                Fault {
                    target: "consumer",
                    body: json!({ "latency_ms": 60_000 }),
                },
            ],
            Scenario::MysqlPool => vec![Fault {
                target: "mysql",
                body: json!({ "pool_size": 1, "latency_ms": 1_000 }),
            }],
        }
    }

    /// The faults in words, for the report and the incident's timeline.
    pub fn fault_text(self) -> &'static str {
        match self {
            Scenario::RedisPool => {
                "Redis pool 50 → 5 connections, +20 ms per call / Redis 연결 풀 50 → 5, 호출당 +20ms"
            }
            Scenario::KafkaLag => {
                "producer acknowledgements +120 ms, consumer stalled before each batch / 프로듀서 확인 +120ms, 컨슈머 배치 처리 정지"
            }
            Scenario::MysqlPool => {
                "19 of 20 MySQL connections held, +1 s per call / MySQL 커넥션 20개 중 19개 점유, 호출당 +1초"
            }
        }
    }

    /// The alerts that must fire and reach hoego for the drill to pass.
    pub fn expected(self) -> &'static [&'static str] {
        match self {
            Scenario::RedisPool => &["RedisPoolCritical"],
            Scenario::KafkaLag => &["KafkaProducerLatencyHigh", "KafkaConsumerLagHigh"],
            Scenario::MysqlPool => &["MysqlPoolCritical"],
        }
    }

    /// Whether a critical alert with this `scenario` label belongs to this drill: its own, or a
    /// symptom of any (`any`).
    pub fn owns(self, scenario_label: &str) -> bool {
        scenario_label == self.as_str() || scenario_label == "any"
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::drill::profile::SHIPPED_RULES;

    #[test]
    fn every_expected_alert_is_a_shipped_rule_labelled_with_its_scenario() {
        for scenario in Scenario::ALL {
            for name in scenario.expected() {
                let rule = SHIPPED_RULES
                    .split("- alert: ")
                    .find(|r| r.starts_with(&format!("{name}\n")))
                    .unwrap_or_else(|| panic!("no rule {name}"));
                assert!(
                    rule.contains(&format!("scenario: {}\n", scenario.as_str())),
                    "{name} is not labelled {}",
                    scenario.as_str()
                );
            }
        }
    }

    #[test]
    fn faults_name_real_targets() {
        for scenario in Scenario::ALL {
            for fault in scenario.faults() {
                assert!(
                    crate::faults::FaultTarget::parse(fault.target).is_some(),
                    "{}",
                    fault.target
                );
            }
        }
    }
}
