//! Vietnamese dates (ngày tháng): full, partial, ranges and yearless forms.
