//! `results/<year>/q<N>.yaml`: one quarter's figures, one row per unit.

use super::read::Reader;
use super::yaml::Node;
use crate::diagnostic::Code;
use crate::model::{Field, FileId, QuarterReport, Row, Sp};

const REPORT_KEYS: &[&str] = &["year", "quarter", "plan", "reported", "rows"];

/// `path_period` is the year and quarter the file's path says.
pub fn report(
    r: &mut Reader,
    root: &Node,
    file: FileId,
    path_period: Option<(i32, u8)>,
) -> Option<QuarterReport> {
    let what = "tệp số liệu quý";
    let t = r.table(root, what, REPORT_KEYS)?;
    let year = r.require(&t, "year", what).and_then(|n| r.year(n, "year"));
    let quarter = r
        .require(&t, "quarter", what)
        .and_then(|n| r.quarter(n, "quarter"));
    let mut misplaced = false;
    if let Some((py, pq)) = path_period {
        if let (Some(y), Some(n)) = (&year, t.get("year"))
            && y.value != py
        {
            misplaced = true;
            r.report(
                Code::PeriodMismatch,
                n,
                format!(
                    "tệp nằm trong thư mục results/{py}/ nhưng ghi năm {}",
                    y.value
                ),
            )
            .with_hint(format!(
                "sửa thành year: {py}, hoặc chuyển tệp sang results/{}/",
                y.value
            ));
        }
        if let (Some(q), Some(n)) = (&quarter, t.get("quarter"))
            && q.value != pq
        {
            misplaced = true;
            r.report(
                Code::PeriodMismatch,
                n,
                format!("tệp tên q{pq}.yaml nhưng ghi quý {}", q.value),
            )
            .with_hint(format!(
                "sửa thành quarter: {pq}, hoặc đổi tên tệp thành q{}.yaml",
                q.value
            ));
        }
    }
    let plan = r
        .require(&t, "plan", what)
        .and_then(|n| r.plan_symbol(n, "plan"));
    let reported = r.opt_date(&t, "reported");
    let rows_node = r.require(&t, "rows", what);
    let items = r.items(rows_node, "rows");
    let rows = items.iter().filter_map(|n| row(r, n)).collect();
    if misplaced {
        // Which quarter it is cannot be trusted: not one of the reports.
        return None;
    }
    Some(QuarterReport {
        year: year?,
        quarter: quarter?,
        plan: plan?,
        reported,
        rows,
        file,
        path_period,
    })
}

fn row_keys() -> Vec<&'static str> {
    let mut keys = vec!["unit"];
    keys.extend(Field::ALL.iter().map(|f| f.key()));
    keys
}

fn row(r: &mut Reader, node: &Node) -> Option<Row> {
    let what = "một dòng số liệu";
    let keys = row_keys();
    let t = r.table(node, what, &keys)?;
    let unit = r
        .require(&t, "unit", what)
        .and_then(|n| r.unit_ref(n, "unit"));
    let mut values: [Option<Sp<u64>>; 12] = Default::default();
    for field in Field::ALL {
        values[field.index()] = if field == Field::Admitted {
            r.req_count(&t, field.key(), what)
        } else {
            r.opt_count(&t, field.key())
        };
    }
    let admitted = values[Field::Admitted.index()].as_ref().map(|v| v.value);
    if let Some(admitted) = admitted {
        for field in Field::OF_WHOM {
            if let (Some(v), Some(n)) = (&values[field.index()], t.get(field.key()))
                && v.value > admitted
            {
                r.report(
                    Code::OfWhomAboveAdmitted,
                    n,
                    format!(
                        "'{}' ({}) lớn hơn số kết nạp 'admitted' ({admitted})",
                        field.key(),
                        v.value
                    ),
                )
                .with_hint(format!(
                    "số {} là một phần của số đảng viên mới kết nạp",
                    field.label_vi()
                ));
            }
        }
    }
    Some(Row {
        unit: unit?,
        values,
        loc: r.loc(node),
    })
}
