"""A USPTO trademark XML back-file of n case-files, in the annual files' shape (the sample
annual-2025-full-tx-60146682.xml's elements), for import tests: serials 80000000 + i."""


def case_file(i):
    serial = 80000000 + i
    status = (630, 686, 700, 602)[i % 4]
    return (f"<case-file><serial-number>{serial}</serial-number>"
            f"<registration-number>0000000</registration-number>"
            f"<transaction-date>20250101</transaction-date><case-file-header>"
            f"<filing-date>2024{1 + i % 12:02d}{1 + i % 28:02d}</filing-date>"
            f"<status-code>{status}</status-code><status-date>20250102</status-date>"
            f"<mark-identification>GENMARK{i}</mark-identification></case-file-header>"
            f"<case-file-statements><case-file-statement><type-code>GS0091</type-code>"
            f"<text>Goods {i}</text></case-file-statement></case-file-statements>"
            f"<classifications><classification><international-code>009</international-code>"
            f"</classification></classifications>"
            f"<case-file-owners><case-file-owner><party-name>Owner {i % 97} Ltd</party-name>"
            f"<nationality><country>US</country></nationality></case-file-owner>"
            f"</case-file-owners></case-file>\n")


def write(path, n):
    with open(path, "w") as f:
        f.write('<?xml version="1.0" encoding="UTF-8"?>\n<trademark-applications-daily>'
                '<version><version-no>2.0</version-no><version-date>20250101</version-date>'
                '</version><application-information><file-segments><action-keys>'
                '<action-key>AA</action-key>\n')
        for i in range(n):
            f.write(case_file(i))
        f.write('</action-keys></file-segments></application-information>'
                '</trademark-applications-daily>\n')
