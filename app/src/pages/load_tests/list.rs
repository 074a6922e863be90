//! `/load-tests`: runs, newest first, with filters, a comparison picker and the upload form.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

use super::{figure_text, verdict_badge};
use crate::api::list_load_tests;
use crate::domain::{LoadTestRun, RunRelation};
use crate::pages::incident::list::Pager;
use crate::pages::{ErrorPanel, list_params, loading, page_offset, page_resource};
use crate::queries::{DEFAULT_LIMIT, FromParams, LoadTestQuery};
use crate::ui::use_ui;

#[component]
pub fn LoadTestList() -> impl IntoView {
    let ui = use_ui();
    let (t, l) = (ui.t(), ui.load_tests());
    let (params, page) = list_params();
    let runs = page_resource(
        move || (params.get(), page.get()),
        |(p, page)| async move {
            let mut q = LoadTestQuery::from_map(&p)?;
            q.limit = DEFAULT_LIMIT;
            q.offset = page_offset(page, DEFAULT_LIMIT);
            list_load_tests(q).await
        },
    );
    let selected = move |key: &str| params.read().get(key).cloned().unwrap_or_default();
    let upload_error = use_query_map().read_untracked().get("upload_error");
    view! {
        <Title text=l.load_tests/>
        <div class="page-head"><h1>{l.load_tests}</h1></div>
        <p class="hint">{l.intro}</p>
        <Form method="GET" action="" attr:class="filters">
            <label class="grow"><span>{t.search_words}</span><input type="search" name="q" value=selected("q")/></label>
            <label><span>{l.services}</span><input type="search" name="service" value=selected("service") size="12"/></label>
            <label><span>{l.scenario}</span><input type="search" name="scenario" value=selected("scenario") size="12"/></label>
            <label><span>{l.verdict}</span>
                <select name="passed">
                    <option value="">{l.any}</option>
                    <option value="yes" selected=selected("passed") == "yes">{l.passed}</option>
                    <option value="no" selected=selected("passed") == "no">{l.failed}</option>
                </select>
            </label>
            <label><span>{t.search_from}</span><input type="date" name="from" value=selected("from")/></label>
            <label><span>{t.search_to}</span><input type="date" name="to" value=selected("to")/></label>
            <button type="submit">{t.filter}</button>
        </Form>
        <Suspense fallback=loading>
            {move || Suspend::new(async move {
                match runs.await {
                    Err(e) => view! { <ErrorPanel error=e/> }.into_any(),
                    Ok(p) if p.items.is_empty() => view! { <p class="empty">{if params.read().is_empty() { l.none } else { l.none_match }}</p> }.into_any(),
                    Ok(p) => {
                        let pages = (p.total as u64).div_ceil(DEFAULT_LIMIT);
                        view! {
                            <form method="get" action="/load-tests/compare">
                                <table class="list runs">
                                    <thead><tr>
                                        <th>{l.baseline}</th><th>{l.candidate}</th><th>{l.name}</th><th>{l.verdict}</th>
                                        <th>{l.when}</th><th>"VUs"</th><th>"req/s"</th><th>"p99"</th><th>{l.figure("error_rate")}</th>
                                    </tr></thead>
                                    <tbody>{p.items.into_iter().map(row).collect_view()}</tbody>
                                </table>
                                <p class="hint">{l.compare_hint}" "<button type="submit">{l.compare}</button></p>
                            </form>
                            <Pager page=page.get() pages=pages/>
                        }
                        .into_any()
                    }
                }
            })}
        </Suspense>
        <form method="post" action="/load-tests/upload" enctype="multipart/form-data" class="panel form narrow">
            <h2>{l.upload}</h2>
            {upload_error.map(|e| view! { <p class="form-error" role="alert">{e}</p> })}
            <div class="field">
                <label for="upload-file">{l.file}</label>
                <input id="upload-file" type="file" name="file" accept="application/json,.json" required=true/>
                <small class="hint">{l.file_hint}</small>
            </div>
            <div class="row">
                <div class="field"><label for="upload-name">{l.name}</label><input id="upload-name" name="name"/></div>
                <div class="field"><label for="upload-scenario">{l.scenario}</label><input id="upload-scenario" name="scenario"/></div>
            </div>
            <div class="row">
                <div class="field"><label for="upload-services">{l.services}</label><input id="upload-services" name="services" placeholder="coupon-api, redis"/></div>
                <div class="field"><label for="upload-environment">{l.environment}</label><input id="upload-environment" name="environment" placeholder="staging"/></div>
            </div>
            <div class="row">
                <div class="field"><label for="upload-incident">{l.link_to}</label><input id="upload-incident" name="incident" inputmode="numeric" size="8"/></div>
                <div class="field"><label for="upload-relation">{l.relation}</label>
                    <select id="upload-relation" name="relation">
                        {RunRelation::ALL.iter().map(|r| view! { <option value=r.as_str()>{l.relation_name(*r)}</option> }).collect_view()}
                    </select>
                </div>
            </div>
            <div class="field"><label for="upload-notes">{l.notes}</label><textarea id="upload-notes" name="notes" rows="2"></textarea></div>
            <button type="submit" class="primary">{l.upload}</button>
        </form>
    }
}

fn row(r: LoadTestRun) -> impl IntoView {
    let ui = use_ui();
    let id = r.id;
    let title = r.title();
    view! {
        <tr>
            <td><input type="radio" name="baseline" value=id aria-label="baseline"/></td>
            <td><input type="radio" name="candidate" value=id aria-label="candidate"/></td>
            <td>
                <a href=format!("/load-tests/{id}")>{title}</a>
                <br/><small>{r.meta.services.join(", ")}{(!r.meta.environment.is_empty()).then(|| format!(" · {}", r.meta.environment))}</small>
            </td>
            <td>{verdict_badge(r.passed)}</td>
            <td class="time">{ui.time(r.when())}</td>
            <td>{figure_text("vus_max", r.figures.vus_max)}</td>
            <td>{figure_text("rps", r.figures.rps)}</td>
            <td>{r.figures.p99_ms.map(|v| format!("{} ms", crate::ui::chart::number(v))).unwrap_or_else(|| "—".into())}</td>
            <td>{figure_text("error_rate", r.figures.error_rate)}</td>
        </tr>
    }
}
