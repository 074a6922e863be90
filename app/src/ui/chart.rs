//! Charts as SVG markup, drawn on the server: they show before the WASM bundle loads (and
//! without it), print well, and say each value in a `<title>` for screen readers and hover. A
//! table of the same numbers goes beneath each chart on the page. No charting crate fitted
//! both the server and the browser bundle without growing the latter; these are a few tested
//! functions.

use std::fmt::Write;

/// Text for SVG: `&`, `<`, `>` and quotes escaped.
pub fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A number as a chart writes it: up to three significant decimals, no trailing zeros.
pub fn number(v: f64) -> String {
    let s = if v.abs() >= 100.0 {
        format!("{v:.0}")
    } else if v.abs() >= 10.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.2}")
    };
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_owned()
    } else {
        s
    }
}

/// Horizontal bars, one per `(label, value)`, scaled to the largest; `unit` follows values.
pub fn bars(title: &str, items: &[(String, f64)], unit: &str) -> String {
    const W: f64 = 560.0;
    const ROW: f64 = 26.0;
    const LABEL: f64 = 120.0;
    let max = items
        .iter()
        .map(|(_, v)| *v)
        .fold(0.0_f64, f64::max)
        .max(f64::MIN_POSITIVE);
    let h = ROW * items.len() as f64 + 8.0;
    let mut svg = format!(
        r#"<svg class="chart bars" role="img" viewBox="0 0 {W} {h}" xmlns="http://www.w3.org/2000/svg"><title>{}</title>"#,
        escape(title)
    );
    for (i, (label, v)) in items.iter().enumerate() {
        let y = 4.0 + ROW * i as f64;
        let width = (W - LABEL - 90.0) * (v / max);
        let _ = write!(
            svg,
            r#"<g><title>{label}: {value} {unit}</title><text x="{lx}" y="{ty}" text-anchor="end">{label}</text><rect x="{LABEL}" y="{y}" width="{width:.1}" height="{bh}" rx="2"/><text x="{vx:.1}" y="{ty}">{value} {unit}</text></g>"#,
            label = escape(label),
            value = number(*v),
            unit = escape(unit),
            lx = LABEL - 6.0,
            ty = y + 15.0,
            bh = ROW - 8.0,
            vx = LABEL + width + 6.0,
        );
    }
    svg.push_str("</svg>");
    svg
}

/// One line of a [`lines`] chart.
pub struct Line {
    pub name: String,
    /// `(x, y)`, in x order.
    pub points: Vec<(f64, f64)>,
}

/// A value followed by its unit, `12.5 ms`: the usual `value_text` of [`lines`].
pub fn with_unit(unit: &str) -> impl Fn(f64) -> String + '_ {
    move |v| format!("{} {unit}", number(v))
}

/// Lines over a shared x axis, with the y axis from 0 to the largest value (or the target,
/// drawn dashed, if higher). `unit` is written above the y axis; `x_text` writes an x value
/// and `value_text` a point's value in its hover title (a count is a counted noun there:
/// "1 incident", "3 incidents").
pub fn lines(
    title: &str,
    series: &[Line],
    unit: &str,
    target: Option<f64>,
    x_text: &dyn Fn(f64) -> String,
    value_text: &dyn Fn(f64) -> String,
) -> String {
    const W: f64 = 600.0;
    const H: f64 = 230.0;
    // Left margin for the y values (unit-less, so they fit), top for the unit and legend.
    const L: f64 = 56.0;
    const T: f64 = 24.0;
    const B: f64 = 24.0;
    let xs = series.iter().flat_map(|l| l.points.iter().map(|p| p.0));
    let (x0, x1) = xs.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), x| {
        (a.min(x), b.max(x))
    });
    let (x0, x1) = if x0.is_finite() {
        (x0, x1.max(x0 + 1e-9))
    } else {
        (0.0, 1.0)
    };
    let y_max = series
        .iter()
        .flat_map(|l| l.points.iter().map(|p| p.1))
        .chain(target)
        .fold(0.0_f64, f64::max)
        .max(f64::MIN_POSITIVE);
    let px = |x: f64| L + (W - L - 8.0) * (x - x0) / (x1 - x0);
    let py = |y: f64| T + (H - B - T) * (1.0 - y / y_max);
    let mut svg = format!(
        r#"<svg class="chart lines" role="img" viewBox="0 0 {W} {H}" xmlns="http://www.w3.org/2000/svg"><title>{}</title>"#,
        escape(title)
    );
    let _ = write!(
        svg,
        r#"<line class="axis" x1="{L}" y1="{b}" x2="{r}" y2="{b}"/><line class="axis" x1="{L}" y1="{T}" x2="{L}" y2="{b}"/><text class="unit" x="{L}" y="14">{unit}</text><text x="{tx}" y="{ty}" text-anchor="end">{ymax}</text><text x="{tx}" y="{b}" text-anchor="end">0</text><text x="{L}" y="{lb}">{xa}</text><text x="{r}" y="{lb}" text-anchor="end">{xb}</text>"#,
        b = H - B,
        ty = T + 4.0,
        r = W - 8.0,
        tx = L - 4.0,
        ymax = number(y_max),
        unit = escape(unit),
        lb = H - 6.0,
        xa = escape(&x_text(x0)),
        xb = escape(&x_text(x1)),
    );
    if let Some(t) = target {
        let _ = write!(
            svg,
            r#"<g class="target"><title>target: {v} {unit}</title><line x1="{L}" y1="{y:.1}" x2="{r}" y2="{y:.1}"/></g>"#,
            v = number(t),
            unit = escape(unit),
            y = py(t),
            r = W - 8.0,
        );
    }
    // A legend along the top when there is more than one line; colours come from `s{i}`.
    if series.len() > 1 {
        let mut x = L + 16.0 + 7.0 * unit.chars().count() as f64;
        for (i, l) in series.iter().enumerate() {
            let _ = write!(
                svg,
                r#"<text class="legend s{i}" x="{x:.1}" y="14">■ {name}</text>"#,
                name = escape(&l.name),
            );
            x += 24.0 + 7.0 * l.name.chars().count() as f64;
        }
    }
    for (i, l) in series.iter().enumerate() {
        let points: Vec<String> = l
            .points
            .iter()
            .map(|(x, y)| format!("{:.1},{:.1}", px(*x), py(*y)))
            .collect();
        let _ = write!(
            svg,
            r#"<g class="series s{i}"><title>{name}</title><polyline points="{pts}"/>"#,
            name = escape(&l.name),
            pts = points.join(" "),
        );
        for (x, y) in &l.points {
            let _ = write!(
                svg,
                r#"<circle cx="{cx:.1}" cy="{cy:.1}" r="2"><title>{name} at {at}: {v}</title></circle>"#,
                cx = px(*x),
                cy = py(*y),
                name = escape(&l.name),
                at = escape(&x_text(*x)),
                v = escape(&value_text(*y)),
            );
        }
        svg.push_str("</g>");
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_short() {
        assert_eq!(number(2.9), "2.9");
        assert_eq!(number(24.97), "25");
        assert_eq!(number(1234.4), "1234");
        assert_eq!(number(0.127), "0.13");
        assert_eq!(number(3.0), "3");
    }

    #[test]
    fn bars_scale_to_the_largest_and_title_each_value() {
        let svg = bars(
            "latency",
            &[("p50".into(), 10.0), ("p99 <b>".into(), 20.0)],
            "ms",
        );
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert!(svg.contains("<title>p50: 10 ms</title>"));
        assert!(svg.contains("p99 &lt;b&gt;"), "labels are escaped");
        // The largest bar takes the whole width (560 − 120 − 90).
        assert!(
            svg.contains(r#"width="350.0""#) && svg.contains(r#"width="175.0""#),
            "{svg}"
        );
    }

    #[test]
    fn lines_draw_every_point_and_the_target() {
        let svg = lines(
            "p99",
            &[Line {
                name: "p99".into(),
                points: vec![(0.0, 5.0), (1.0, 10.0)],
            }],
            "ms",
            Some(20.0),
            &|x| format!("{x}s"),
            &with_unit("ms"),
        );
        assert_eq!(svg.matches("<circle").count(), 2);
        assert!(svg.contains("<title>target: 20 ms</title>"));
        assert!(svg.contains("<title>p99 at 1s: 10 ms</title>"));
        // The target is the top of the axis when it is the largest value; the unit is written
        // once, above the axis, so wide values are not cut off at the left edge.
        assert!(svg.contains(r#"text-anchor="end">20</text>"#), "{svg}");
        assert!(
            svg.contains(r#"<text class="unit" x="56" y="14">ms</text>"#),
            "{svg}"
        );
    }
}
