"""Demo agreements: the Jobcenter–Jugendamt agreement of seed 000 with measures and targets,
one with the Sozialamt (§ 16a SGB II), a draft for the school-to-work transition and an expired
pilot. Importing this package registers the step."""

from agreements.demo import step  # noqa: F401  (registers the step)
