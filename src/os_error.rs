//! What an error of the operating system means, in Vietnamese.
//!
//! `io::Error`'s own text is English ("Permission denied (os error 13)"),
//! and it reaches users whenever a file cannot be read or written. Every
//! message that carries an `io::Error` prints it through [`describe`]: the
//! common cases in words an editor can act on, the rest with the system's
//! error number, which is what a technician needs.

use std::io::{self, ErrorKind};

/// `e` as a short Vietnamese phrase, such as `ổ đĩa đã đầy`.
pub fn describe(e: &io::Error) -> String {
    match phrase(e) {
        Some(p) => p.to_owned(),
        None => match e.raw_os_error() {
            Some(n) => format!("lỗi hệ điều hành số {n}"),
            None => "lỗi đọc ghi không rõ nguyên nhân".to_owned(),
        },
    }
}

fn phrase(e: &io::Error) -> Option<&'static str> {
    if let Some(p) = e.raw_os_error().and_then(by_number) {
        return Some(p);
    }
    Some(match e.kind() {
        ErrorKind::NotFound => "không có tệp hoặc thư mục này",
        ErrorKind::PermissionDenied => "không có quyền truy cập",
        ErrorKind::AlreadyExists => "đã có tệp hoặc thư mục cùng tên",
        ErrorKind::StorageFull => "ổ đĩa đã đầy",
        ErrorKind::QuotaExceeded => "đã dùng hết hạn mức dung lượng được cấp",
        ErrorKind::FileTooLarge => "tệp vượt kích thước tối đa được phép",
        ErrorKind::ReadOnlyFilesystem => {
            "ổ đĩa chỉ cho đọc (thẻ nhớ hay USB có thể đang gạt khóa ghi)"
        }
        ErrorKind::ResourceBusy => "thư mục hoặc tệp đang được dùng (có thể là chỗ gắn một ổ đĩa)",
        ErrorKind::CrossesDevices => "không chuyển được tệp sang một ổ đĩa khác",
        ErrorKind::InvalidFilename => "tên tệp hoặc đường dẫn quá dài hay không hợp lệ",
        ErrorKind::NotADirectory => "một phần của đường dẫn không phải thư mục",
        ErrorKind::IsADirectory => "đây là thư mục, không phải tệp",
        ErrorKind::DirectoryNotEmpty => "thư mục không trống",
        ErrorKind::TooManyLinks => "quá nhiều liên kết",
        ErrorKind::Interrupted => "bị ngắt giữa chừng",
        ErrorKind::TimedOut => "quá thời gian chờ",
        ErrorKind::OutOfMemory => "không đủ bộ nhớ",
        ErrorKind::UnexpectedEof => "tệp kết thúc sớm hơn dự kiến",
        ErrorKind::InvalidData => "dữ liệu không đúng định dạng",
        ErrorKind::AddrInUse => "địa chỉ hoặc cổng đang được chương trình khác dùng",
        ErrorKind::AddrNotAvailable => "địa chỉ không dùng được trên máy này",
        ErrorKind::Unsupported => "hệ điều hành hoặc ổ đĩa không hỗ trợ thao tác này",
        _ => return None,
    })
}

/// Errors `ErrorKind` does not tell apart, by their Linux numbers.
#[cfg(target_os = "linux")]
fn by_number(n: i32) -> Option<&'static str> {
    use rustix::io::Errno;
    let e = Errno::from_raw_os_error(n);
    Some(if e == Errno::IO {
        "lỗi đọc ghi thiết bị (ổ đĩa có thể hỏng hoặc vừa bị rút ra)"
    } else if e == Errno::NODEV || e == Errno::NXIO {
        "không thấy thiết bị (ổ đĩa có thể vừa bị rút ra)"
    } else if e == Errno::NAMETOOLONG {
        "tên tệp hoặc đường dẫn quá dài"
    } else if e == Errno::MFILE || e == Errno::NFILE {
        "quá nhiều tệp đang mở cùng lúc"
    } else if e == Errno::LOOP {
        "liên kết tượng trưng tạo thành vòng lặp"
    } else if e == Errno::PERM {
        "hệ điều hành không cho phép thao tác này"
    } else {
        return None;
    })
}

#[cfg(not(target_os = "linux"))]
fn by_number(_: i32) -> Option<&'static str> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_errors_in_vietnamese() {
        let cases = [
            (io::Error::from(ErrorKind::NotFound), "không có tệp"),
            (io::Error::from(ErrorKind::PermissionDenied), "quyền"),
            (io::Error::from(ErrorKind::StorageFull), "đầy"),
            (
                io::Error::from(ErrorKind::ReadOnlyFilesystem),
                "chỉ cho đọc",
            ),
            (io::Error::from(ErrorKind::ResourceBusy), "đang được dùng"),
            (io::Error::from(ErrorKind::CrossesDevices), "ổ đĩa khác"),
            (io::Error::from(ErrorKind::InvalidFilename), "quá dài"),
        ];
        for (e, words) in cases {
            let text = describe(&e);
            assert!(text.contains(words), "{e:?}: {text}");
        }
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn os_numbers_are_read_first() {
        use rustix::io::Errno;
        let said = |errno: Errno| describe(&io::Error::from_raw_os_error(errno.raw_os_error()));
        assert_eq!(said(Errno::NOSPC), "ổ đĩa đã đầy");
        assert!(said(Errno::ACCESS).contains("quyền"));
        assert!(said(Errno::ROFS).contains("chỉ cho đọc"));
        assert!(said(Errno::BUSY).contains("đang được dùng"));
        assert!(said(Errno::XDEV).contains("ổ đĩa khác"));
        assert!(said(Errno::NAMETOOLONG).contains("quá dài"));
        assert!(said(Errno::IO).contains("rút ra"));
        // Any other number: the number, never the English text.
        assert_eq!(said(Errno::NOMSG), "lỗi hệ điều hành số 42");
        for n in 1..134 {
            let e = io::Error::from_raw_os_error(n);
            let text = describe(&e);
            assert!(
                !text.contains("os error") && text != e.to_string(),
                "{n}: {text}"
            );
        }
    }
}
