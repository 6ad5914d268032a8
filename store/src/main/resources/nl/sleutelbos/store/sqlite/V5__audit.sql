-- Reserved for the audit log (issue 6); replaced by its schema before release.
SELECT 1;
