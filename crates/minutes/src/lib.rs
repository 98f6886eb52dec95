//! The minutes of the vote count (biên bản kiểm phiếu) as PDF. To be written.
