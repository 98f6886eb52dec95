//! Party election vote counting (kiểm phiếu). To be written.
