"""Per-source prose of data/samples/README.md: layouts known vs chosen, kinds of mess."""

SOURCE_TEXT = {
    "kartra": """\
## Kartra (`kartra/`)

**Layout.** Known: contact columns are Kartra's documented lead fields (`id, first_name, …,
date_joined, score, source, blacklisted, gdpr_lead_status`), `N/A` for every empty value,
`YYYY-MM-DD HH:MM:SS` US Eastern timestamps without offset, transaction columns
`transaction_id, transaction_full_amount, transaction_type (sale/refund/partial_refund),
transaction_parent_id`, subscription columns `transaction_subscription_id, payments_left`, the
five custom field types. Chosen (not published): the file names, the `tags`/`lists` column
names, the remaining transaction/subscription columns, and the whole layout of `companies.csv`,
`calendar_bookings.csv`, `affiliates.csv`, `custom_fields.csv` (the custom-field definitions as
written down while scoping) and `sequences.json` (the sequence inventory; Kartra cannot export
sequences). The seed page describes Kartra Company records, so companies have their own file;
contacts name their company as free text. Files use CRLF line endings.

**Contacts in batches.** The UI caps rows per export, so contacts come in three files
(`contacts_export_1..3.csv`), each listed newest first; consecutive batches overlap at their
boundary (`truth/batch_overlaps.csv` lists every repeated row; some were edited between exports
and differ in `score`: the later batch holds the current values). The third batch has its custom
columns in another order. Custom fields: Industry (drop_down), Preferred Contact Method
(radio_button), Newsletter Opt-In (checkbox), Coaching Goals (text_area, some with line breaks),
Renewal Date (input_field holding dates in mixed formats), Referral Code (input_field).

**Mess.** Duplicate people (same email in other case/whitespace; same name + phone; same name +
company, accents stripped); people sharing a full name who are different people; contacts without
email; invalid emails; invalid and Excel-mangled phones (`4.15555E+09`); company names written
many ways (case, punctuation, legal suffixes of several countries, typos, "The", & vs and, stray
spaces) and look-alike different companies; tags with near-duplicates (VIP / vip␠ / V.I.P.,
customer / Customer, Hot Lead / hot lead), some rows separated by semicolons; behavioural tags for
forms, webinars and membership but none for surveys; blacklisted contacts and an `email_bounced`
tag; transactions whose lead was deleted (unresolvable) or given by email only; booking hosts who
are not workspace members.
""",
}
