//! An amending plan (SPEC §2.3): tests/fixtures/amended is the levels
//! fixture whose January plan 100-KH/TU gives quotas to the units of
//! January only, and whose 200-KH/TU, effective 01/07/2025, gives the two
//! new communes theirs and the Khối a new quota of 30 for the second half.
//! The Q3 results cite the amendment. Every figure is computed by hand.

use crate::common::{self, Built, fixtures, text_of};
use crate::levels::{assert_rows, csv_rows};

fn built() -> Built {
    let built = common::build(&fixtures().join("amended"), false);
    built.assert_built();
    built
}

#[test]
fn each_period_is_measured_against_the_version_in_force_on_its_last_day() {
    let out = built();
    // The year's quota is the plan as first issued: An Hà 40 + Bảo Lạc
    // (10 + 10) + Khối 20 = 80; the amendment sets no target of its own.
    // Q1: 17/80 = 21,25% → 21,3. Base 4000: 17/4000 = 0,425% → 0,4.
    let q1 = csv_rows(&out, "thong-ke/2025/quy-1/so-lieu.csv");
    assert_rows(
        &q1,
        &[
            (
                "",
                ["", "Toàn đảng bộ", "80", "17", "17", "21.3", "0.4", "4017"],
            ),
            (
                "khoi",
                ["", "Khối Cơ quan", "20", "5", "5", "25.0", "0.5", "1005"],
            ),
        ],
    );
    // Six months, before the amendment: 43/80 = 53,75% → 53,8; the Khối
    // 5 + 7 = 12 of its January 20 = 60,0%.
    let q2 = csv_rows(&out, "thong-ke/2025/quy-2/so-lieu.csv");
    assert_rows(
        &q2,
        &[
            (
                "",
                ["", "Toàn đảng bộ", "80", "26", "43", "53.8", "1.1", "4038"],
            ),
            (
                "khoi",
                ["", "Khối Cơ quan", "20", "7", "12", "60.0", "1.2", "1010"],
            ),
        ],
    );
    // Nine months, with the amendment: 55/80 = 68,75% → 68,8, each
    // admission once. An Hà, dissolved before 01/07, keeps 40: 22/40. The
    // new communes count against the amendment's quotas: 4/8 and 3/6. The
    // Khối's new 30 counts only the quarters from 01/07: 5/30 = 16,7%,
    // 5/1010 = 0,495% → 0,5 (its nine months are still 17).
    let q3 = csv_rows(&out, "thong-ke/2025/quy-3/so-lieu.csv");
    assert_rows(
        &q3,
        &[
            (
                "",
                ["", "Toàn đảng bộ", "80", "12", "55", "68.8", "1.4", "4215"],
            ),
            (
                "huyen-an-ha",
                ["", "Huyện An Hà", "40", "", "22", "55.0", "1.1", ""],
            ),
            (
                "xa-an-ha",
                ["", "Xã An Hà", "8", "4", "4", "50.0", "", "2100"],
            ),
            (
                "xa-hung-dao",
                [
                    "",
                    "Hưng Đạo (từ 01/07/2025)",
                    "6",
                    "3",
                    "3",
                    "50.0",
                    "",
                    "1100",
                ],
            ),
            (
                "khoi",
                ["", "Khối Cơ quan", "30", "5", "17", "16.7", "0.5", "1015"],
            ),
        ],
    );
    let bulletin = text_of(&out.read("ban-tin/2025/quy-3/index.html"), ".bulletin-text");
    assert!(
        bulletin.contains("tính chung 9 tháng đầu năm 2025 kết nạp 55 đảng viên, đạt 68,8% chỉ tiêu năm (80 đảng viên) theo Kế hoạch số 100-KH/TU"),
        "{bulletin}"
    );
    let page = text_of(&out.read("thong-ke/2025/quy-3/index.html"), ".lede");
    assert_eq!(
        page,
        "Đánh giá theo Kế hoạch số 100-KH/TU, ngày 20/01/2025 của Ban Thường vụ Tỉnh ủy, điều chỉnh tại Kế hoạch số 200-KH/TU, ngày 15/07/2025 của Ban Thường vụ Tỉnh ủy (hiệu lực từ ngày 01/07/2025)."
    );
}

#[test]
fn every_version_of_a_plan_links_the_others_and_shows_the_progress() {
    let out = built();
    let original = out.read("ke-hoach/100-kh-tu-2025/index.html");
    let versions = text_of(&original, "#cac-van-ban + ul");
    assert_eq!(
        versions,
        "Kế hoạch số 100-KH/TU, ngày 20/01/2025 của Ban Thường vụ Tỉnh ủy: kế hoạch ban đầuKế hoạch số 200-KH/TU, ngày 15/07/2025 của Ban Thường vụ Tỉnh ủy: có hiệu lực từ ngày 01/07/2025"
    );
    let amendment = out.read("ke-hoach/200-kh-tu-2025/index.html");
    // The amendment inherits its issuer and says what it amends.
    let notice = text_of(&amendment, ".notice");
    assert!(
        notice.starts_with("Điều chỉnh, bổ sung Kế hoạch số 100-KH/TU, ngày 20/01/2025 của Ban Thường vụ Tỉnh ủy, có hiệu lực từ ngày 01/07/2025."),
        "{notice}"
    );
    // The list of plans names what the amendment amends, not a quota.
    let index = text_of(&out.read("ke-hoach/index.html"), "main");
    assert!(
        index.contains("Ban hành 15/07/2025 · điều chỉnh Kế hoạch số 100-KH/TU, ngày 20/01/2025 của Ban Thường vụ Tỉnh ủy, có hiệu lực từ ngày 01/07/2025"),
        "{index}"
    );
    assert!(
        index.contains(
            "chỉ tiêu năm 2025: 80 đảng viên · 9 tháng đầu năm 2025: 55 đảng viên, đạt 68,8%"
        ),
        "{index}"
    );
    // Both pages show the year's progress: 17, 43, 55 against 80.
    for page in [&original, &amendment] {
        let progress = text_of(page, "#tien-do + .table-wrap tbody");
        assert!(progress.contains("68,8%"), "{progress}");
        assert!(progress.contains("21,3%"), "{progress}");
    }
}

/// The errors of the amended fixture with its amendment's text changed
/// by `edit`.
fn errors_with(edit: impl FnOnce(&str) -> String) -> Vec<String> {
    let site = common::fixture_edited("amended", "content/plans/2025-kh-200.yaml", edit);
    let checked = common::check(site.path());
    checked.errors().into_iter().map(str::to_owned).collect()
}

#[test]
fn an_amendment_of_a_missing_plan_or_outside_its_year_is_refused() {
    let missing = errors_with(|t| t.replace("amends: 100-KH/TU", "amends: 101-KH/TU"));
    assert_eq!(
        missing,
        [
            "content/plans/2025-kh-200.yaml:7:9: error[E304]: không có kế hoạch 101-KH/TU năm 2025 để điều chỉnh — có phải '100-KH/TU'?"
        ]
    );
    let outside = errors_with(|t| t.replace("effective: 2025-07-01", "effective: 2026-07-01"));
    assert_eq!(outside.len(), 1, "{outside:?}");
    assert!(
        outside[0].starts_with("content/plans/2025-kh-200.yaml:8:12: error[")
            && outside[0].contains("có hiệu lực từ ngày 01/07/2026, ngoài năm 2025"),
        "{outside:?}"
    );
}

#[test]
fn two_plans_of_one_year_for_the_same_units_are_refused_where_the_quarters_cite_them() {
    // 200-KH/TU no longer amends 100-KH/TU, yet both give the Khối a quota.
    let errors = errors_with(|t| {
        t.replace(
            "amends: 100-KH/TU\neffective: 2025-07-01\n",
            "issuer: Ban Thường vụ Tỉnh ủy\n",
        )
    });
    let expected = |file: &str| {
        format!(
            "content/results/2025/{file}.yaml:3:7: error[E304]: các quý năm 2025 ghi hai kế hoạch không điều chỉnh nhau, 100-KH/TU và 200-KH/TU, cùng giao chỉ tiêu cho đơn vị 'khoi' — nếu 200-KH/TU điều chỉnh 100-KH/TU, thêm vào kế hoạch đó amends: 100-KH/TU; nếu không, mọi quý năm 2025 ghi cùng một kế hoạch"
        )
    };
    assert_eq!(errors, [expected("q1"), expected("q2"), expected("q3")]);
}

#[test]
fn plans_of_one_year_for_different_units_count_together() {
    // Before a merger each former organisation had its own plan: the Bảo
    // Lạc communes' quotas move from 100-KH/TU into a plan of their own,
    // which no results file names. Every figure stays that of the levels
    // fixture: 40 + (10 + 10) + 20 + 8 + 6 = 94.
    let moved = [
        "  - {unit: xa-hung-dao-bao-lac, admissions: 10, members_base: 500}\n",
        "  - {unit: xa-coc-pang, admissions: 10, members_base: 500}\n",
    ];
    let site = common::fixture_edited("levels", "content/plans/2025-kh-100.yaml", |t| {
        moved.iter().fold(t.to_owned(), |rest, line| {
            assert!(rest.contains(line), "{line}");
            rest.replace(line, "")
        })
    });
    let plans = site.path().join("content/plans");
    std::fs::write(
        plans.join("2025-kh-45.yaml"),
        format!(
            "symbol: 45-KH/TU\ntitle: về kết nạp đảng viên năm 2025\nissuer: Ban Thường vụ Huyện ủy Bảo Lạc\nissued: 2025-01-10\nyear: 2025\nquotas:\n{}",
            moved.concat()
        ),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let out = common::build(site.path(), false);
    out.assert_built();
    let q1 = csv_rows(&out, "thong-ke/2025/quy-1/so-lieu.csv");
    assert_rows(
        &q1,
        &[
            (
                "",
                ["", "Toàn đảng bộ", "94", "17", "17", "18.1", "0.4", "4017"],
            ),
            (
                "huyen-bao-lac",
                ["", "Bảo Lạc", "20", "2", "2", "10.0", "0.2", "1002"],
            ),
        ],
    );
}
