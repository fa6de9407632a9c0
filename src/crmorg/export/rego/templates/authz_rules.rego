default allow := false

default allow_scope := false

# A role's effective access to a permission is named by its widest scopes ("team", or
# several joined by "+"); this table says which scopes each name covers.
scope_covers := ${scope_covers}

# object.get rather than data.crmorg.roles[role]...: engines look a bound key up much
# faster through it (regorus: ~7 against ~45 microseconds per lookup).

# The scopes a role's effective grant of the input's permission covers: its own grants
# and those it inherits, precomputed in data.json, so no inheritance is walked here.
role_scopes(role) := object.get(
	scope_covers,
	object.get(data.crmorg.roles, [role, "effective", input.resource.type, input.action], "${none}"),
	{},
)

person := object.get(data.crmorg.people, input.subject, {})

# The scopes that one of the person's roles covers, computed once per query.
person_scopes contains scope if {
	some held in object.get(person, "roles", [])
	some scope, _ in object.get(
		scope_covers,
		object.get(data.crmorg.roles, [held, "effective", input.resource.type, input.action], "${none}"),
		{},
	)
}

record := input.resource

owns_record if record.owner == input.subject

# The record's owner reports to the person, directly or not (format v1.1 section 9):
# their numbers in the reporting forest lie inside the person's; people on or below a
# reporting cycle have none, and list everyone above them instead.
owner_reports if {
	mine := object.get(person, "reports", [])
	theirs := object.get(data.crmorg.people, [record.owner, "reports"], [])
	mine[0] < theirs[0]
	theirs[0] < mine[1]
}

owner_reports if input.subject in object.get(data.crmorg.people, [record.owner, "managers"], [])

team_given if record.team != null

department_given if record.department != null

# A record's team is its own when given, and otherwise any of its owner's teams.
record_teams contains record.team if team_given

record_teams contains team if {
	not team_given
	some team in object.get(data.crmorg.people, [record.owner, "teams"], [])
}

shares_team if {
	some team in record_teams
	team in object.get(person, "teams", [])
}

# Likewise its department: its own when given, otherwise any of its owner's.
record_departments contains record.department if department_given

record_departments contains department if {
	not department_given
	some department in object.get(data.crmorg.people, [record.owner, "departments"], [])
}

# The record's department is one of the person's, or below one: one of the departments
# it is within (itself and those above it) is the person's.
within_departments if {
	some department in record_departments
	some above in object.get(data.crmorg.departments, [department, "within"], [])
	above in object.get(person, "departments", [])
}

# A grant reaches a record when the record is within its scope (format-v1 section 3).
${allow_rules}

# A sharing rule shares the record with the person: they are in its `to` group, its
# owner in its `from` group, and they hold some grant of the action (format v1.1 §11).
record_allowed if {
	count(person_scopes) > 0
	some rule in object.get(data.crmorg.sharing, [input.resource.type, input.action], [])
	object.get(data.crmorg.groups, [rule.to, input.subject], false)
	object.get(data.crmorg.groups, [rule.from, record.owner], false)
}

# A restricted field needs the person's field access too (format v1.1 §12): the widest
# over their roles and what those inherit, precomputed per role in data.json.
field_denied if {
	object.get(data.crmorg.restricted, [input.resource.type, input.field], false)
	not field_granted
}

field_granted if {
	some held in object.get(person, "roles", [])
	level := object.get(data.crmorg.roles, [held, "fields", input.resource.type, input.field], "${none}")
	field_levels[level] >= object.get(field_needs, input.action, 3)
}

field_levels := ${field_levels}

field_needs := ${field_needs}

allow if {
	record_allowed
	not field_denied
}

# A role id names the role, as in Model.allows; otherwise the subject is a person.
subject_is_role if object.get(data.crmorg.roles, input.subject, null) != null

allow_scope if input.scope == "${none}"

allow_scope if {
	subject_is_role
	role_scopes(input.subject)[input.scope]
}

allow_scope if {
	not subject_is_role
	input.scope in person_scopes
}
