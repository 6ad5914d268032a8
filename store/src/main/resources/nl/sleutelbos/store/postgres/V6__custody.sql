-- Reserved for key custody (issue 5); replaced by its schema before release.
SELECT 1;
