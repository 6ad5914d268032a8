-- Reserved for attribute history (issue 3); replaced by its schema before release.
SELECT 1;
