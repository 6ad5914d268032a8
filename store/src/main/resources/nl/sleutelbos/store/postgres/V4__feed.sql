-- Reserved for the change feed (issue 3); replaced by its schema before release.
SELECT 1;
