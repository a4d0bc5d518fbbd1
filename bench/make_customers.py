"""Writes the customer workbook `npm run bench` segments: N customers with Danish headers.

Usage: make_customers.py N out.xlsx

xlsxwriter's constant_memory mode writes each row as it comes, so 1,048,575 rows take about a
minute and little memory. Values are seeded, so every run measures the same workbook: revenue is
log-normal (a few customers make most of it, as in a real ledger), potential lies above revenue,
dates are real date cells (numbers with a date format), five account managers.
"""
import datetime
import random
import sys

import xlsxwriter

HEADERS = ['Kundenr', 'Kunde', 'Kundeansvarlig', 'Omsætning', 'Potentiale', 'Dækningsbidrag', 'Andel af køb',
           'Tilfredshed', 'Kunde siden', 'Seneste køb', 'Antal ordrer', 'Dage for sent']
OWNERS = ['Anders', 'Mette', 'Søren', 'Line', 'Jonas']
BASE = datetime.datetime(2020, 1, 1)


def main(rows: int, target: str) -> None:
    workbook = xlsxwriter.Workbook(target, {'constant_memory': True})
    sheet = workbook.add_worksheet('Kunder')
    date = workbook.add_format({'num_format': 'yyyy-mm-dd'})
    sheet.write_row(0, 0, HEADERS)
    random.seed(1)
    for row in range(1, rows + 1):
        revenue = round(random.lognormvariate(13, 1.2))
        sheet.write_string(row, 0, 'K%07d' % row)
        sheet.write_string(row, 1, 'Kunde %d ApS' % row)
        sheet.write_string(row, 2, OWNERS[row % 5])
        sheet.write_number(row, 3, revenue)
        sheet.write_number(row, 4, round(revenue / max(0.05, random.random())))
        sheet.write_number(row, 5, round(revenue * 0.2))
        sheet.write_number(row, 6, round(random.random(), 3))
        sheet.write_number(row, 7, round(random.uniform(1, 5), 1))
        sheet.write_datetime(row, 8, BASE + datetime.timedelta(days=random.randint(0, 2000)), date)
        sheet.write_datetime(row, 9, BASE + datetime.timedelta(days=random.randint(1000, 2400)), date)
        sheet.write_number(row, 10, random.randint(1, 60))
        sheet.write_number(row, 11, round(random.uniform(0, 30), 1))
    workbook.close()


if __name__ == '__main__':
    main(int(sys.argv[1]), sys.argv[2])
