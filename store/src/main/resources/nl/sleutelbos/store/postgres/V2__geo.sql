-- Reserved for the geo index (issue 3); replaced by its schema before release.
SELECT 1;
