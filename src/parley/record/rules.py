import rules

from parley.core.rules import has_party, is_secretariat

# Every party member may read the record (the tiles reveal nothing but commitments); what an
# entry says is opened only to those who may see its object.
can_view_record = has_party
rules.add_perm("record.view", can_view_record)
rules.add_perm("record", is_secretariat)
rules.add_perm("record.view_checkpoint", is_secretariat)
