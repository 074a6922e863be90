//! The vocabulary of synthetic postmortems: twelve kinds of incident, each written in Korean
//! and in English the way on-call engineers write (Korean sentences carry English technical
//! words). Search benchmarks need this variety: with one template every query would match
//! every document.

use app::domain::RootCauseCategory;

/// One kind of incident in one language.
pub struct Text {
    pub titles: &'static [&'static str],
    pub sentences: &'static [&'static str],
    pub problem: &'static str,
    /// Why/because pairs, in order.
    pub steps: &'static [(&'static str, &'static str)],
    pub root_cause: &'static str,
    pub actions: &'static [&'static str],
}

pub struct Family {
    pub services: &'static [&'static str],
    pub category: RootCauseCategory,
    pub ko: Text,
    pub en: Text,
}

use RootCauseCategory as C;

pub const FAMILIES: &[Family] = &[
    Family {
        services: &["coupon-api", "redis"],
        category: C::CapacityPlanning,
        ko: Text {
            titles: &[
                "Redis 연결 풀 고갈로 쿠폰 발급 실패",
                "선착순 이벤트 중 Redis 커넥션 부족",
            ],
            sentences: &[
                "Redis 연결 수 사용률이 90%를 넘어 대기 중인 요청이 쌓였습니다.",
                "쿠폰 발급 API의 p99 응답 시간이 3초까지 늘었습니다.",
                "maxActive 50으로는 이벤트 트래픽을 감당하지 못했습니다.",
                "연결 풀을 100으로 확장하고 타임아웃을 1초로 줄였습니다.",
                "에러율이 1% 미만으로 내려가며 정상 상태를 확인했습니다.",
                "부하 테스트 대비 3배 이상의 트래픽이 유입되었습니다.",
                "온콜 엔지니어가 Redis 대시보드에서 연결 대기 큐를 확인했습니다.",
                "고객 문의가 급증하여 CS 팀에 상황을 공유했습니다.",
            ],
            problem: "왜 Redis 연결 풀이 고갈되었는가?",
            steps: &[
                (
                    "왜 연결 풀이 고갈되었는가?",
                    "동시 연결 수가 최대 한계 50개를 초과했습니다.",
                ),
                (
                    "왜 한계를 초과했는가?",
                    "이벤트 트래픽에 대한 용량 계획이 부족했습니다.",
                ),
                (
                    "왜 용량 계획이 부족했는가?",
                    "과거 이벤트 데이터를 분석하지 않았습니다.",
                ),
                (
                    "왜 분석하지 않았는가?",
                    "트래픽 패턴 모니터링 체계가 없었습니다.",
                ),
                (
                    "왜 모니터링이 없었는가?",
                    "기능 구현을 성능보다 우선시했습니다.",
                ),
            ],
            root_cause: "운영 중심 설계 사고 부족 및 성능 모니터링 체계 미흡",
            actions: &[
                "Redis 연결 사용률 70% 경고 알림 추가",
                "연결 풀 실시간 대시보드 구축",
                "용량 계획 체크리스트를 설계 리뷰에 포함",
            ],
        },
        en: Text {
            titles: &[
                "Redis connection pool exhausted during coupon event",
                "Coupon issuance timeouts from Redis pool saturation",
            ],
            sentences: &[
                "Redis connections in use reached the pool maximum and requests queued.",
                "The issue endpoint's p99 latency climbed to three seconds.",
                "A pool of 50 connections could not absorb the event traffic.",
                "We raised maxActive to 100 and cut the borrow timeout to one second.",
                "Error rate dropped below one percent and stayed there.",
                "Traffic arrived at three times the load-test peak.",
                "On-call saw the connection wait queue grow on the Redis dashboard.",
                "Support tickets spiked and the CS team was briefed.",
            ],
            problem: "Why was the Redis connection pool exhausted?",
            steps: &[
                (
                    "Why was the pool exhausted?",
                    "Concurrent connections exceeded the limit of 50.",
                ),
                (
                    "Why did they exceed the limit?",
                    "Capacity planning ignored event traffic.",
                ),
                (
                    "Why was capacity planning missing?",
                    "Past event data was never analysed.",
                ),
                (
                    "Why was it not analysed?",
                    "There was no traffic pattern monitoring.",
                ),
                (
                    "Why was there no monitoring?",
                    "Features were prioritised over operability.",
                ),
            ],
            root_cause: "Design without operations in mind and missing performance monitoring",
            actions: &[
                "Alert at 70% Redis connection usage",
                "Real-time connection pool dashboard",
                "Capacity checklist in design reviews",
            ],
        },
    },
    Family {
        services: &["coupon-api", "kafka", "mysql"],
        category: C::TestEnvironment,
        ko: Text {
            titles: &[
                "Kafka 프로듀서 지연으로 쿠폰 발급 상태 불일치",
                "coupon-issue 토픽 consumer lag 급증",
            ],
            sentences: &[
                "Kafka 프로듀서 전송 지연이 5초까지 늘었습니다.",
                "coupon-issue 토픽의 consumer lag가 1,000건을 넘었습니다.",
                "MySQL 반영이 늦어져 발급 상태가 일시적으로 불일치했습니다.",
                "batch.size와 linger.ms를 조정하고 파티션을 늘렸습니다.",
                "브로커 CPU 사용률이 95%에 머물렀습니다.",
                "애플리케이션 로그에 producer timeout이 반복되었습니다.",
                "consumer 인스턴스를 두 배로 늘려 lag를 해소했습니다.",
                "메시지 크기와 직렬화 오버헤드가 테스트와 달랐습니다.",
            ],
            problem: "왜 Kafka 프로듀서에서 지연이 발생했는가?",
            steps: &[
                (
                    "왜 지연이 발생했는가?",
                    "초당 2,000건 이상으로 브로커 처리 한계를 넘었습니다.",
                ),
                ("왜 한계를 넘었는가?", "단일 브로커 스펙이 부족했습니다."),
                (
                    "왜 스펙이 부족했는가?",
                    "피크 처리량을 예측하지 못했습니다.",
                ),
                (
                    "왜 예측하지 못했는가?",
                    "성능 테스트가 실제 메시지 크기를 반영하지 않았습니다.",
                ),
                (
                    "왜 반영하지 않았는가?",
                    "테스트 환경이 운영 환경과 달랐습니다.",
                ),
            ],
            root_cause: "운영 환경과 동일한 조건의 성능 테스트 부족",
            actions: &[
                "producer timeout 로그 기반 알림 추가",
                "브로커 스케일업 및 파티션 재조정",
                "운영과 같은 조건의 정기 부하 테스트 자동화",
            ],
        },
        en: Text {
            titles: &[
                "Kafka producer lag left coupon states inconsistent",
                "Consumer lag over 1,000 messages on coupon-issue",
            ],
            sentences: &[
                "Kafka producer send latency grew to five seconds.",
                "Consumer lag on the coupon-issue topic passed 1,000 messages.",
                "MySQL fell behind Redis and coupon states disagreed for minutes.",
                "We tuned batch.size and linger.ms and added partitions.",
                "Broker CPU sat at 95 percent.",
                "Producer timeouts repeated in the application logs.",
                "Doubling the consumers drained the lag.",
                "Message size and serialization overhead differed from the tests.",
            ],
            problem: "Why did the Kafka producer lag?",
            steps: &[
                (
                    "Why did it lag?",
                    "Over 2,000 messages per second exceeded the broker's capacity.",
                ),
                (
                    "Why was capacity exceeded?",
                    "A single broker was undersized.",
                ),
                (
                    "Why was it undersized?",
                    "Peak throughput was not predicted.",
                ),
                (
                    "Why was it not predicted?",
                    "Performance tests used unrealistic message sizes.",
                ),
                (
                    "Why were they unrealistic?",
                    "The test environment differed from production.",
                ),
            ],
            root_cause: "No performance tests under production-like conditions",
            actions: &[
                "Alert on producer timeouts in logs",
                "Scale up brokers and rebalance partitions",
                "Automate production-like load tests",
            ],
        },
    },
    Family {
        services: &["product-api", "mysql", "redis"],
        category: C::MissingResilience,
        ko: Text {
            titles: &[
                "Redis 장애 후 MySQL 커넥션 풀 고갈",
                "캐시 장애로 DB 과부하 및 전체 응답 불가",
            ],
            sentences: &[
                "Redis 노드 재시작으로 캐시 히트율이 0%가 되었습니다.",
                "fallback 로직이 모든 요청을 DB로 우회시켰습니다.",
                "MySQL 활성 연결 수가 95%를 넘었습니다.",
                "Circuit Breaker가 없어 장애가 전파되었습니다.",
                "커넥션 풀을 긴급 확장하고 캐시를 재워밍했습니다.",
                "API 5xx 에러율이 5%를 넘었습니다.",
                "DBA가 슬로우 쿼리를 확인하고 세션을 정리했습니다.",
                "Bulkhead로 DB fallback 동시 실행을 10개로 제한했습니다.",
            ],
            problem: "왜 MySQL 커넥션 풀이 고갈되었는가?",
            steps: &[
                (
                    "왜 커넥션 풀이 고갈되었는가?",
                    "캐시 실패로 DB 직접 조회가 급증했습니다.",
                ),
                (
                    "왜 직접 조회가 급증했는가?",
                    "fallback이 모든 요청을 DB로 보냈습니다.",
                ),
                (
                    "왜 모든 요청을 보냈는가?",
                    "Circuit Breaker가 적용되지 않았습니다.",
                ),
                (
                    "왜 적용되지 않았는가?",
                    "회복탄력성 패턴을 설계에서 고려하지 않았습니다.",
                ),
                (
                    "왜 고려하지 않았는가?",
                    "장애 전파 특성에 대한 경험이 부족했습니다.",
                ),
            ],
            root_cause: "분산 시스템 장애 패턴에 대한 이해 부족 및 회복탄력성 설계 미흡",
            actions: &[
                "Redis 호출에 Circuit Breaker 적용",
                "DB fallback에 Bulkhead 적용",
                "분기별 장애 드릴 정례화",
            ],
        },
        en: Text {
            titles: &[
                "MySQL connection pool exhausted after Redis failure",
                "Cache outage overloaded the database",
            ],
            sentences: &[
                "A Redis node restart dropped the cache hit rate to zero.",
                "The fallback sent every request straight to the database.",
                "MySQL active connections passed 95 percent.",
                "Without a circuit breaker the failure cascaded.",
                "We expanded the connection pool and re-warmed the cache.",
                "API 5xx error rate exceeded five percent.",
                "The DBA killed long sessions and checked slow queries.",
                "A bulkhead now caps concurrent database fallbacks at ten.",
            ],
            problem: "Why was the MySQL connection pool exhausted?",
            steps: &[
                (
                    "Why was the pool exhausted?",
                    "Cache misses turned into direct database reads.",
                ),
                (
                    "Why so many direct reads?",
                    "The fallback routed all requests to the database.",
                ),
                ("Why all requests?", "No circuit breaker was in place."),
                (
                    "Why no circuit breaker?",
                    "Resilience patterns were not part of the design.",
                ),
                (
                    "Why not part of the design?",
                    "The team lacked experience with cascading failures.",
                ),
            ],
            root_cause: "Missing resilience design for distributed failure modes",
            actions: &[
                "Circuit breaker around Redis calls",
                "Bulkhead for database fallbacks",
                "Quarterly failure drills",
            ],
        },
    },
    Family {
        services: &["product-api", "redis"],
        category: C::CodeDefect,
        ko: Text {
            titles: &[
                "인기 상품 캐시 TTL 만료 후 캐시 스탬피드",
                "상위 상품 조회 캐시 동시 만료로 DB 쿼리 폭증",
            ],
            sentences: &[
                "인기 상품 캐시가 동시에 만료되며 같은 쿼리가 수백 번 실행되었습니다.",
                "상품 DB의 CPU가 순간적으로 100%에 도달했습니다.",
                "캐시 재생성에 락을 걸어 한 요청만 DB를 조회하도록 했습니다.",
                "TTL에 무작위 지터를 추가했습니다.",
                "캐시 히트율이 99%로 회복되었습니다.",
                "top products API의 p99가 2초까지 늘었습니다.",
            ],
            problem: "왜 캐시 만료 시 DB 쿼리가 폭증했는가?",
            steps: &[
                (
                    "왜 쿼리가 폭증했는가?",
                    "모든 요청이 동시에 캐시 미스를 겪었습니다.",
                ),
                ("왜 동시에 미스가 났는가?", "모든 키의 TTL이 같았습니다."),
                ("왜 TTL이 같았는가?", "지터 없이 고정 TTL을 사용했습니다."),
                (
                    "왜 고정 TTL이었는가?",
                    "캐시 스탬피드를 코드 리뷰에서 놓쳤습니다.",
                ),
                ("왜 놓쳤는가?", "캐시 설계 가이드가 없었습니다."),
            ],
            root_cause: "캐시 재생성 동시성 제어 누락",
            actions: &[
                "캐시 재생성 single-flight 적용",
                "TTL 지터 추가",
                "캐시 설계 가이드 작성",
            ],
        },
        en: Text {
            titles: &[
                "Top products cache stampede after TTL expiry",
                "Synchronized cache expiry flooded the product database",
            ],
            sentences: &[
                "Popular product keys expired together and the same query ran hundreds of times.",
                "Product database CPU hit 100 percent.",
                "Cache rebuilds now take a lock so one request refills the key.",
                "TTLs get random jitter.",
                "Cache hit rate recovered to 99 percent.",
                "The top products endpoint's p99 reached two seconds.",
            ],
            problem: "Why did database queries spike when the cache expired?",
            steps: &[
                (
                    "Why did queries spike?",
                    "Every request missed the cache at once.",
                ),
                ("Why at once?", "All keys shared one TTL."),
                ("Why one TTL?", "A fixed TTL without jitter was used."),
                ("Why fixed?", "Code review missed the stampede risk."),
                ("Why missed?", "There was no caching guideline."),
            ],
            root_cause: "No concurrency control for cache rebuilds",
            actions: &[
                "Single-flight cache rebuilds",
                "Add TTL jitter",
                "Write a caching guideline",
            ],
        },
    },
    Family {
        services: &["gateway"],
        category: C::HumanProcess,
        ko: Text {
            titles: &[
                "게이트웨이 TLS 인증서 만료",
                "인증서 갱신 누락으로 HTTPS 접속 실패",
            ],
            sentences: &[
                "TLS 인증서가 만료되어 모든 HTTPS 요청이 실패했습니다.",
                "갱신 알림 메일이 퇴사자 메일함으로 발송되고 있었습니다.",
                "인증서를 수동으로 갱신하고 게이트웨이를 재시작했습니다.",
                "외부 모니터링이 인증서 만료일을 확인하지 않았습니다.",
                "모바일 앱 사용자 대부분이 접속하지 못했습니다.",
            ],
            problem: "왜 인증서가 만료되었는가?",
            steps: &[
                ("왜 만료되었는가?", "갱신 작업이 수행되지 않았습니다."),
                ("왜 수행되지 않았는가?", "담당자가 알림을 받지 못했습니다."),
                ("왜 받지 못했는가?", "알림 수신자가 퇴사자였습니다."),
                (
                    "왜 퇴사자였는가?",
                    "인수인계 체크리스트에 인증서가 없었습니다.",
                ),
                ("왜 없었는가?", "운영 자산 목록이 관리되지 않았습니다."),
            ],
            root_cause: "인증서 갱신 절차와 담당자 관리 부재",
            actions: &[
                "인증서 자동 갱신 도입",
                "만료 30일 전 알림",
                "인수인계 체크리스트에 운영 자산 추가",
            ],
        },
        en: Text {
            titles: &[
                "Gateway TLS certificate expired",
                "HTTPS outage from a missed certificate renewal",
            ],
            sentences: &[
                "The TLS certificate expired and every HTTPS request failed.",
                "Renewal reminders went to a former employee's mailbox.",
                "We renewed the certificate by hand and restarted the gateway.",
                "External monitoring did not check certificate expiry.",
                "Most mobile app users could not connect.",
            ],
            problem: "Why did the certificate expire?",
            steps: &[
                ("Why did it expire?", "Nobody renewed it."),
                (
                    "Why did nobody renew it?",
                    "The owner never got the reminder.",
                ),
                ("Why no reminder?", "It went to a former employee."),
                (
                    "Why a former employee?",
                    "Certificates were not on the handover checklist.",
                ),
                (
                    "Why not on the checklist?",
                    "No inventory of operational assets existed.",
                ),
            ],
            root_cause: "No renewal process or ownership for certificates",
            actions: &[
                "Automate certificate renewal",
                "Alert 30 days before expiry",
                "Add operational assets to handover",
            ],
        },
    },
    Family {
        services: &["order-api", "mysql"],
        category: C::Configuration,
        ko: Text {
            titles: &[
                "MySQL 디스크 가득 참으로 주문 쓰기 실패",
                "binlog 누적으로 DB 디스크 부족",
            ],
            sentences: &[
                "binlog 보관 기간 설정이 빠져 디스크가 가득 찼습니다.",
                "주문 INSERT가 모두 실패했습니다.",
                "오래된 binlog를 정리하고 보관 기간을 7일로 설정했습니다.",
                "디스크 사용률 경고가 80%가 아닌 99%로 설정되어 있었습니다.",
                "복제 지연이 10분까지 늘었습니다.",
            ],
            problem: "왜 디스크가 가득 찼는가?",
            steps: &[
                ("왜 가득 찼는가?", "binlog가 삭제되지 않고 쌓였습니다."),
                ("왜 쌓였는가?", "보관 기간 설정이 누락되었습니다."),
                ("왜 누락되었는가?", "설정 템플릿에 항목이 없었습니다."),
                ("왜 없었는가?", "DB 설정 리뷰가 없었습니다."),
                (
                    "왜 리뷰가 없었는가?",
                    "설정 변경이 배포 절차 밖에 있었습니다.",
                ),
            ],
            root_cause: "DB 설정이 코드로 관리되지 않음",
            actions: &[
                "binlog 보관 기간 설정",
                "디스크 80% 경고 알림",
                "DB 설정을 코드로 관리",
            ],
        },
        en: Text {
            titles: &[
                "MySQL disk full stopped order writes",
                "Binlog growth filled the database disk",
            ],
            sentences: &[
                "Binlog retention was unset and the disk filled up.",
                "Every order insert failed.",
                "We purged old binlogs and set retention to seven days.",
                "The disk alert fired at 99 percent instead of 80.",
                "Replication lag grew to ten minutes.",
            ],
            problem: "Why did the disk fill up?",
            steps: &[
                ("Why did it fill?", "Binlogs were never purged."),
                ("Why never purged?", "Retention was not configured."),
                ("Why not configured?", "The config template lacked it."),
                (
                    "Why did the template lack it?",
                    "Database configs were not reviewed.",
                ),
                (
                    "Why not reviewed?",
                    "Config changes bypassed the deploy process.",
                ),
            ],
            root_cause: "Database configuration not managed as code",
            actions: &[
                "Set binlog retention",
                "Disk usage alert at 80%",
                "Manage database config as code",
            ],
        },
    },
    Family {
        services: &["coupon-api"],
        category: C::CodeDefect,
        ko: Text {
            titles: &[
                "쿠폰 API 메모리 누수로 OOM 재시작 반복",
                "JVM 힙 부족으로 GC 지연 및 타임아웃",
            ],
            sentences: &[
                "쿠폰 API 파드가 OOMKilled로 반복 재시작되었습니다.",
                "Full GC가 2초 이상 걸리며 요청이 타임아웃되었습니다.",
                "힙 덤프 분석으로 캐시 맵이 무한히 커지는 것을 찾았습니다.",
                "캐시 크기 제한을 두고 핫픽스를 배포했습니다.",
                "메모리 사용량 추세 알림이 없었습니다.",
            ],
            problem: "왜 메모리가 부족했는가?",
            steps: &[
                ("왜 부족했는가?", "로컬 캐시가 제한 없이 커졌습니다."),
                (
                    "왜 제한이 없었는가?",
                    "캐시 라이브러리 기본값을 그대로 사용했습니다.",
                ),
                (
                    "왜 기본값을 썼는가?",
                    "코드 리뷰에서 메모리 영향을 보지 않았습니다.",
                ),
                (
                    "왜 보지 않았는가?",
                    "리뷰 체크리스트에 자원 사용 항목이 없었습니다.",
                ),
                ("왜 없었는가?", "성능 리뷰 문화가 없었습니다."),
            ],
            root_cause: "무제한 로컬 캐시 코드 결함",
            actions: &[
                "로컬 캐시 크기 제한",
                "힙 사용량 추세 알림",
                "리뷰 체크리스트에 자원 사용 추가",
            ],
        },
        en: Text {
            titles: &[
                "Coupon API memory leak caused OOM restarts",
                "Heap exhaustion, long GC pauses and timeouts",
            ],
            sentences: &[
                "Coupon API pods were OOMKilled and restarted in a loop.",
                "Full GC pauses over two seconds timed out requests.",
                "A heap dump showed an unbounded cache map.",
                "We bounded the cache and shipped a hotfix.",
                "There was no alert on memory growth trends.",
            ],
            problem: "Why did the service run out of memory?",
            steps: &[
                ("Why out of memory?", "A local cache grew without bound."),
                ("Why unbounded?", "Library defaults were used."),
                ("Why defaults?", "Review did not consider memory."),
                ("Why not?", "The review checklist had no resource item."),
                ("Why no item?", "There was no performance review habit."),
            ],
            root_cause: "Unbounded local cache defect",
            actions: &[
                "Bound the local cache",
                "Alert on heap growth",
                "Add resource use to review checklist",
            ],
        },
    },
    Family {
        services: &["gateway", "coupon-api"],
        category: C::Dependency,
        ko: Text {
            titles: &[
                "외부 DNS 장애로 결제 연동 실패",
                "DNS 조회 실패로 외부 API 호출 타임아웃",
            ],
            sentences: &[
                "외부 DNS 제공자의 장애로 결제 대행사 도메인 조회가 실패했습니다.",
                "결제 연동 호출이 30초 타임아웃까지 대기했습니다.",
                "보조 DNS 리졸버로 전환했습니다.",
                "DNS 캐시 TTL이 짧아 영향이 커졌습니다.",
                "결제 실패율이 40%까지 올라갔습니다.",
            ],
            problem: "왜 결제 연동이 실패했는가?",
            steps: &[
                (
                    "왜 실패했는가?",
                    "결제 대행사 도메인을 조회하지 못했습니다.",
                ),
                ("왜 조회하지 못했는가?", "단일 DNS 제공자에 의존했습니다."),
                ("왜 단일 제공자였는가?", "이중화 요구사항이 없었습니다."),
                ("왜 요구사항이 없었는가?", "외부 의존성 목록이 없었습니다."),
                ("왜 목록이 없었는가?", "의존성 위험 평가를 하지 않았습니다."),
            ],
            root_cause: "외부 의존성 이중화 부재",
            actions: &[
                "DNS 리졸버 이중화",
                "외부 호출 타임아웃 3초로 단축",
                "외부 의존성 위험 평가",
            ],
        },
        en: Text {
            titles: &[
                "External DNS outage broke payment calls",
                "DNS resolution failures timed out partner APIs",
            ],
            sentences: &[
                "An outage at our DNS provider broke lookups of the payment partner.",
                "Payment calls waited for the full 30 second timeout.",
                "We switched to a secondary resolver.",
                "Short DNS cache TTLs widened the impact.",
                "Payment failure rate reached 40 percent.",
            ],
            problem: "Why did payment calls fail?",
            steps: &[
                (
                    "Why did they fail?",
                    "The partner's domain did not resolve.",
                ),
                ("Why not?", "We depended on a single DNS provider."),
                ("Why a single provider?", "Redundancy was never required."),
                (
                    "Why not required?",
                    "External dependencies were not listed.",
                ),
                ("Why not listed?", "No dependency risk review existed."),
            ],
            root_cause: "No redundancy for external dependencies",
            actions: &[
                "Redundant DNS resolvers",
                "Cut external call timeouts to three seconds",
                "Dependency risk review",
            ],
        },
    },
    Family {
        services: &["coupon-api", "gateway"],
        category: C::MonitoringGap,
        ko: Text {
            titles: &[
                "배포 후 응답 지연 증가를 40분 늦게 감지",
                "신규 버전 배포 후 p99 지연 회귀",
            ],
            sentences: &[
                "배포 직후 p99 응답 시간이 200ms에서 900ms로 늘었습니다.",
                "평균 응답 시간만 보는 대시보드라 회귀를 놓쳤습니다.",
                "고객 문의로 40분 뒤에 장애를 인지했습니다.",
                "이전 버전으로 롤백하여 복구했습니다.",
                "N+1 쿼리가 새로 추가된 것을 확인했습니다.",
            ],
            problem: "왜 지연 증가를 늦게 감지했는가?",
            steps: &[
                ("왜 늦게 감지했는가?", "p99 알림이 없었습니다."),
                ("왜 알림이 없었는가?", "평균 지표만 수집했습니다."),
                (
                    "왜 평균만 수집했는가?",
                    "히스토그램 지표를 설정하지 않았습니다.",
                ),
                ("왜 설정하지 않았는가?", "SLO가 정의되지 않았습니다."),
                (
                    "왜 정의되지 않았는가?",
                    "서비스 수준 목표를 논의한 적이 없었습니다.",
                ),
            ],
            root_cause: "지연 시간 SLO와 백분위 모니터링 부재",
            actions: &[
                "p99 지연 알림 추가",
                "카나리 배포 도입",
                "서비스별 SLO 정의",
            ],
        },
        en: Text {
            titles: &[
                "Latency regression after deploy detected 40 minutes late",
                "p99 latency regression in a new release",
            ],
            sentences: &[
                "Right after the deploy p99 latency rose from 200 ms to 900 ms.",
                "Dashboards showed only averages, hiding the regression.",
                "A customer report surfaced it 40 minutes later.",
                "Rolling back to the previous release restored latency.",
                "The release had introduced an N+1 query.",
            ],
            problem: "Why was the latency regression detected late?",
            steps: &[
                ("Why late?", "There was no p99 alert."),
                ("Why no alert?", "Only averages were collected."),
                (
                    "Why only averages?",
                    "Histogram metrics were not configured.",
                ),
                ("Why not configured?", "No SLO was defined."),
                (
                    "Why no SLO?",
                    "Service level objectives were never discussed.",
                ),
            ],
            root_cause: "No latency SLO or percentile monitoring",
            actions: &[
                "Alert on p99 latency",
                "Canary deployments",
                "Define SLOs per service",
            ],
        },
    },
    Family {
        services: &["coupon-api", "redis", "mysql"],
        category: C::Configuration,
        ko: Text {
            titles: &[
                "Rate limiter 설정 오류로 정상 사용자 차단",
                "요청 제한 임계값 오설정으로 429 급증",
            ],
            sentences: &[
                "rate limiter 임계값이 초당 100건이 아닌 10건으로 배포되었습니다.",
                "정상 사용자 요청의 30%가 429를 받았습니다.",
                "설정을 되돌리고 캐시된 토큰 버킷을 초기화했습니다.",
                "설정 변경에 대한 검증 단계가 없었습니다.",
                "쿠폰 이벤트 참여율이 크게 떨어졌습니다.",
            ],
            problem: "왜 정상 사용자가 차단되었는가?",
            steps: &[
                ("왜 차단되었는가?", "임계값이 10배 낮게 설정되었습니다."),
                (
                    "왜 낮게 설정되었는가?",
                    "단위를 분이 아닌 초로 잘못 읽었습니다.",
                ),
                (
                    "왜 잘못 읽었는가?",
                    "설정 키 이름이 단위를 드러내지 않았습니다.",
                ),
                ("왜 드러내지 않았는가?", "설정 스키마가 없었습니다."),
                (
                    "왜 스키마가 없었는가?",
                    "설정 검증을 자동화하지 않았습니다.",
                ),
            ],
            root_cause: "설정 스키마와 변경 검증 부재",
            actions: &[
                "설정 스키마 검증 도입",
                "설정 키에 단위 표기",
                "rate limiter 카나리 적용",
            ],
        },
        en: Text {
            titles: &[
                "Rate limiter misconfiguration blocked real users",
                "Spike of 429 responses after a limit change",
            ],
            sentences: &[
                "The rate limit shipped as 10 per second instead of 100.",
                "Thirty percent of legitimate requests got 429 responses.",
                "We reverted the setting and reset the token buckets.",
                "Config changes had no validation step.",
                "Participation in the coupon event dropped sharply.",
            ],
            problem: "Why were real users blocked?",
            steps: &[
                ("Why blocked?", "The limit was ten times too low."),
                ("Why too low?", "Seconds were read as minutes."),
                ("Why misread?", "The key name hid its unit."),
                ("Why hidden?", "There was no config schema."),
                ("Why no schema?", "Config validation was not automated."),
            ],
            root_cause: "No config schema or change validation",
            actions: &[
                "Validate config against a schema",
                "Put units in config keys",
                "Canary rate limit changes",
            ],
        },
    },
    Family {
        services: &["kafka", "mysql"],
        category: C::MissingResilience,
        ko: Text {
            titles: &[
                "네트워크 파티션으로 consumer 리밸런스 반복",
                "브로커 네트워크 단절 후 중복 처리",
            ],
            sentences: &[
                "AZ 간 네트워크 단절로 consumer 그룹 리밸런스가 반복되었습니다.",
                "같은 메시지가 두 번 처리되어 중복 쿠폰이 기록되었습니다.",
                "멱등 키로 중복 레코드를 정리했습니다.",
                "session.timeout.ms가 너무 짧았습니다.",
                "재처리 후 MySQL과 Redis 발급 수가 일치함을 확인했습니다.",
            ],
            problem: "왜 중복 처리가 발생했는가?",
            steps: &[
                (
                    "왜 중복 처리되었는가?",
                    "오프셋 커밋 전에 리밸런스가 일어났습니다.",
                ),
                (
                    "왜 리밸런스가 일어났는가?",
                    "네트워크 단절로 세션이 만료되었습니다.",
                ),
                ("왜 중복이 저장되었는가?", "consumer가 멱등하지 않았습니다."),
                ("왜 멱등하지 않았는가?", "유니크 제약이 없었습니다."),
                (
                    "왜 제약이 없었는가?",
                    "at-least-once 의미를 설계에서 고려하지 않았습니다.",
                ),
            ],
            root_cause: "at-least-once 전달에 대한 멱등성 설계 미흡",
            actions: &[
                "발급 테이블에 유니크 제약 추가",
                "consumer 멱등 처리",
                "session.timeout.ms 조정",
            ],
        },
        en: Text {
            titles: &[
                "Network partition caused repeated consumer rebalances",
                "Duplicate processing after a broker network split",
            ],
            sentences: &[
                "A network split between zones made the consumer group rebalance repeatedly.",
                "Messages were processed twice and duplicate coupons were recorded.",
                "We cleaned up duplicates using the idempotency key.",
                "session.timeout.ms was too short.",
                "After reprocessing MySQL matched the Redis issue count.",
            ],
            problem: "Why were messages processed twice?",
            steps: &[
                (
                    "Why twice?",
                    "Rebalances happened before offsets were committed.",
                ),
                (
                    "Why rebalances?",
                    "Sessions expired during the network split.",
                ),
                (
                    "Why were duplicates stored?",
                    "The consumer was not idempotent.",
                ),
                ("Why not idempotent?", "There was no unique constraint."),
                (
                    "Why no constraint?",
                    "At-least-once delivery was not designed for.",
                ),
            ],
            root_cause: "No idempotency for at-least-once delivery",
            actions: &[
                "Unique constraint on issued coupons",
                "Idempotent consumer",
                "Tune session.timeout.ms",
            ],
        },
    },
    Family {
        services: &["product-api"],
        category: C::TestEnvironment,
        ko: Text {
            titles: &[
                "스테이징과 다른 인덱스로 상품 검색 쿼리 지연",
                "운영 DB 인덱스 누락으로 풀 스캔 발생",
            ],
            sentences: &[
                "운영 DB에만 인덱스가 누락되어 상품 검색이 풀 스캔을 했습니다.",
                "스테이징에서는 데이터가 적어 문제가 드러나지 않았습니다.",
                "온라인 DDL로 인덱스를 추가했습니다.",
                "쿼리 실행 계획을 배포 전에 확인하지 않았습니다.",
                "검색 API 응답 시간이 5초를 넘었습니다.",
            ],
            problem: "왜 상품 검색 쿼리가 느려졌는가?",
            steps: &[
                ("왜 느려졌는가?", "인덱스 없이 풀 스캔을 했습니다."),
                (
                    "왜 인덱스가 없었는가?",
                    "마이그레이션이 운영에 적용되지 않았습니다.",
                ),
                ("왜 적용되지 않았는가?", "수동 적용 절차를 빠뜨렸습니다."),
                ("왜 수동이었는가?", "마이그레이션 자동화가 없었습니다."),
                (
                    "왜 드러나지 않았는가?",
                    "스테이징 데이터가 운영과 달랐습니다.",
                ),
            ],
            root_cause: "운영과 다른 테스트 데이터와 수동 마이그레이션",
            actions: &[
                "마이그레이션 자동 적용",
                "운영 규모 스테이징 데이터",
                "배포 전 실행 계획 점검",
            ],
        },
        en: Text {
            titles: &[
                "Missing production index made product search slow",
                "Full table scans after a skipped migration",
            ],
            sentences: &[
                "Only production lacked the index, so product search scanned the table.",
                "Staging had too little data to show the problem.",
                "We added the index with online DDL.",
                "Query plans were not checked before release.",
                "Search API latency passed five seconds.",
            ],
            problem: "Why did product search slow down?",
            steps: &[
                ("Why slow?", "It scanned the whole table."),
                ("Why no index?", "The migration never ran in production."),
                ("Why not?", "A manual step was skipped."),
                ("Why manual?", "Migrations were not automated."),
                ("Why unnoticed?", "Staging data differed from production."),
            ],
            root_cause: "Unrealistic test data and manual migrations",
            actions: &[
                "Apply migrations automatically",
                "Production-sized staging data",
                "Check query plans before release",
            ],
        },
    },
];
