//! English.

use super::Catalogue;
use crate::domain::Problem;

fn problem(t: &Catalogue, p: &Problem) -> String {
    match p {
        Problem::Required => "Must not be empty.".into(),
        Problem::TooLong { max } => format!("At most {max} characters."),
        Problem::UnknownValue { allowed } => format!("Choose one of: {}.", allowed.join(", ")),
        Problem::NotADate => "Not a date (YYYY-MM-DD).".into(),
        Problem::NotADateTime => "Not a date and time.".into(),
        Problem::NotACount => "A whole number, 0 or more.".into(),
        Problem::EarlierThan { other } => {
            format!("Must not be earlier than {}.", t.field_name(other))
        }
        Problem::StatusMove { .. } => {
            "Status can move forward, or back one stage with a reason.".into()
        }
        Problem::ReasonRequired => "Say why the status moves back.".into(),
        Problem::NoSteps => "Add at least one why/because step.".into(),
        Problem::NotInIncident => "Pick a step of this incident.".into(),
        Problem::Malformed { detail } => format!("Not valid: {detail}."),
    }
}

pub static EN: Catalogue = Catalogue {
    nav_label: "Main",
    nav_incidents: "Incidents",
    nav_action_items: "Action items",
    new_incident: "New incident",
    edit_incident: "Edit incident",
    display_zone: "Times are shown in this zone",
    incident: "Incident",
    any: "Any",
    none: "None",
    filter: "Filter",
    clear_filters: "Clear filters",
    no_incidents: "No incidents yet. When something breaks, file it here while it is fresh.",
    no_match: "No incidents match these filters.",
    file_first: "File an incident",
    pages: "Pages",
    prev: "← Newer",
    next: "Older →",
    create: "Create incident",
    save: "Save",
    cancel: "Cancel",
    edit: "Edit",
    delete: "Delete",
    set: "Set",
    back_to_incident: "← Back to the incident",
    back_to_list: "← All incidents",
    delete_incident: "Delete this incident",
    delete_incident_warning: "Deleting removes the incident with its timeline, 5-Why chains and action items. It cannot be undone.",
    f_title: "Title",
    f_severity: "Severity",
    f_status: "Status",
    f_status_reason: "Reason (needed when moving back)",
    f_service: "Service",
    f_services: "Affected services",
    services_hint: "Comma-separated, e.g. coupon-api, redis",
    f_customer_impact: "Customer impact",
    f_business_impact: "Business impact",
    f_failed_requests: "Failed requests",
    f_customers_affected: "Customers affected",
    f_summary: "Summary",
    f_narrative: "Narrative",
    markdown_hint: "Markdown",
    f_started_at: "Started",
    timestamps: "Timestamps",
    times_in_zone: "Local times in",
    metrics: "Metrics",
    target: "Target",
    breached: "over target",
    ttd_definition: "Time to detect = detected − impact started",
    ttr_definition: "Time to recover = recovered − impact started",
    change_status: "Change status",
    status_history: "Status history",
    timeline: "Timeline",
    no_events: "No events yet. Start with when impact began and when it was detected.",
    no_chains: "No 5-Why analysis yet.",
    no_actions_here: "No action items yet.",
    add_event: "Add event",
    edit_event: "Edit timeline event",
    f_at: "Time",
    f_kind: "Kind",
    kind_hint: "\"Detected\" and \"Recovered\" set the incident's times",
    f_text: "What happened",
    f_author: "Author",
    five_whys: "5 Whys",
    add_chain: "Add 5-Why chain",
    edit_chain: "Edit 5-Why chain",
    why: "Why",
    f_problem: "Problem statement",
    f_why: "Why?",
    f_because: "Because",
    f_root_cause: "Root cause",
    f_category: "Category",
    steps_hint: "Leave rows you don't need empty.",
    steps_edit_hint: "Clear both sides of a step to remove it.",
    action_items: "Action items",
    add_action: "Add action item",
    edit_action: "Edit action item",
    f_owner: "Owner",
    f_due: "Due",
    f_horizon: "Horizon",
    f_step: "Addresses",
    overdue: "overdue",
    no_action_items: "No action items here.",
    fix_below: "Please correct the field below",
    error_title: "Something went wrong",
    internal_error: "The server could not do this. The details are in its log.",
    network_error: "The server could not be reached",
    not_found_title: "Not found",
    not_found_text: "There is nothing here. It may have been deleted.",
    status: [
        "Detected",
        "Triaged",
        "Mitigating",
        "Recovered",
        "In review",
        "Closed",
    ],
    severity: ["P0 · Critical", "P1 · High", "P2 · Medium", "P3 · Low"],
    provenance: ["from alert", "manual", "from load test"],
    event_kind: [
        "Alert fired",
        "Alert resolved",
        "Detected",
        "Action",
        "Communication",
        "Mitigation",
        "Recovered",
        "Note",
    ],
    category: [
        "Capacity planning",
        "Monitoring gap",
        "Missing resilience pattern",
        "Test environment mismatch",
        "Human process",
        "Configuration",
        "Code defect",
        "Dependency",
        "Other",
    ],
    action_status: ["Open", "In progress", "Done", "Won't do"],
    horizon: ["Immediate", "Short term", "Long term"],
    action_kind: ["Technical", "Process", "People"],
    action_state: ["Open", "Overdue", "All"],
    moment: [
        "Impact started",
        "Detected",
        "Acknowledged",
        "Recovered",
        "Resolved",
    ],
    incident_count: |n| {
        if n == 1 {
            "1 incident".into()
        } else {
            format!("{n} incidents")
        }
    },
    action_count: |n| {
        if n == 1 {
            "1 action item".into()
        } else {
            format!("{n} action items")
        }
    },
    problem,
};
