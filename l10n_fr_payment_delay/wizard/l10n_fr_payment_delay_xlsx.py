"""The D441-6 tables as an XLSX workbook: the same labels and figures as the
PDF (account.dunning.payment.delay.report._get_report_data)."""

import io

from odoo.tools.misc import xlsxwriter


def write_workbook(data):
    """Bytes of a workbook with the sheet "D441-6" (both halves, then the
    footnotes) and the sheet of the late supplier bills."""
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    styles = {
        "title": workbook.add_format({"bold": True, "font_size": 13, "text_wrap": True}),
        "half": workbook.add_format({"bold": True, "bg_color": "#D9E1F2", "text_wrap": True}),
        "head": workbook.add_format({"bold": True, "border": 1, "text_wrap": True}),
        "block": workbook.add_format({"bold": True, "italic": True, "text_wrap": True}),
        "label": workbook.add_format({"border": 1, "text_wrap": True}),
        "count": workbook.add_format({"border": 1, "num_format": "0"}),
        "amount": workbook.add_format({"border": 1, "num_format": "#,##0.00"}),
        "percent": workbook.add_format({"border": 1, "num_format": '0.00" %"'}),
        "text": workbook.add_format({"border": 1, "text_wrap": True}),
        "note": workbook.add_format({"italic": True, "text_wrap": True}),
        "date": workbook.add_format({"border": 1, "num_format": "dd/mm/yyyy"}),
    }
    _write_tables(workbook.add_worksheet("D441-6"), data, styles)
    _write_late_bills(workbook.add_worksheet(data["late_bills_sheet"][:31]), data, styles)
    workbook.close()
    return buffer.getvalue()


def _write_tables(sheet, data, styles):
    labels = data["labels"]
    sheet.set_column(0, 0, 60)
    sheet.set_column(1, 6, 16)
    sheet.merge_range(0, 0, 0, 6, data["title"], styles["title"])
    sheet.set_row(0, 36)
    sheet.write(1, 0, data["period"])
    row = 2
    if data["unverified"]:
        sheet.write(row, 0, labels["unverified_2"], styles["note"])
        row += 1
    for half in data["halves"]:
        table = half["table"]
        row += 1
        sheet.merge_range(row, 0, row, 6, half["title"], styles["half"])
        row += 1
        sheet.write(row, 0, labels["block_a"], styles["head"])
        for col, column in enumerate(data["columns"], start=1):
            sheet.write(row, col, column, styles["head"])
        row += 1
        for line in half["rows"]:
            sheet.write(row, 0, line["label"], styles["label"])
            for col, value in enumerate(line["values"], start=1):
                sheet.write_number(row, col, value, styles[line["kind"]])
            row += 1
        sheet.merge_range(row, 0, row, 6, labels["block_b"], styles["block"])
        row += 1
        sheet.write(row, 0, labels["excluded_count"], styles["label"])
        sheet.write_number(row, 1, table["excluded"]["count"], styles["count"])
        row += 1
        sheet.write(row, 0, labels["excluded_amount"].format(basis=data["basis"]), styles["label"])
        sheet.write_number(row, 1, table["excluded"]["amount"], styles["amount"])
        row += 1
        if table["excluded"]["count"]:
            sheet.write(row, 0, labels["excluded_comment"], styles["label"])
            sheet.merge_range(row, 1, row, 6, data["comment"], styles["text"])
            row += 1
        sheet.merge_range(row, 0, row, 6, labels["block_c"], styles["block"])
        row += 1
        sheet.write(row, 0, labels["reference_terms"], styles["label"])
        sheet.merge_range(row, 1, row, 6, table["reference_terms"], styles["text"])
        row += 1
        if data["wizard"].table_type == "1" and data["wizard"].credit_note_mode == "separate":
            sheet.write(row, 0, half["credit_label"], styles["label"])
            sheet.write_number(row, 1, table["credit_notes"]["count"], styles["count"])
            sheet.write_number(row, 2, table["credit_notes"]["amount"], styles["amount"])
            row += 1
    row += 1
    for note in data["footnotes"]:
        sheet.merge_range(row, 0, row, 6, note, styles["note"])
        row += 1


def _write_late_bills(sheet, data, styles):
    headers = data["late_bills_headers"]
    sheet.set_column(0, 2, 22)
    sheet.set_column(3, 8, 16)
    sheet.write(0, 0, data["late_bills_title"], styles["title"])
    for col, header in enumerate(headers):
        sheet.write(1, col, header, styles["head"])
    if any(line["pending"] for line in data["late_bills"]):
        sheet.write(1, len(headers), data["late_bills_pending_header"], styles["head"])
    for row, line in enumerate(data["late_bills"], start=2):
        bill = line["bill"]
        sheet.write(row, 0, bill.name, styles["text"])
        sheet.write(row, 1, bill.partner_id.display_name or "", styles["text"])
        sheet.write(row, 2, bill.ref or "", styles["text"])
        sheet.write_datetime(row, 3, line["due_date"], styles["date"])
        sheet.write_number(row, 4, line["days_late"], styles["count"])
        sheet.write_number(row, 5, line["residual"], styles["amount"])
        sheet.write_number(row, 6, line["interest"], styles["amount"])
        sheet.write_number(row, 7, line["indemnity"], styles["amount"])
        if line["pending"]:
            sheet.write(row, 8, line["pending_label"], styles["text"])
    sheet.write(len(data["late_bills"]) + 3, 0, data["late_bills_note"], styles["note"])
