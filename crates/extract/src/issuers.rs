//! Issuing bodies (cơ quan ban hành): recognition and canonical names.
