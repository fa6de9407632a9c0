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
