"""Documents the offices file, generated as PDF in Indonesian.

``layout`` is the letter every document shares (letterhead from the Walidata's
organization profile, fonts, safe text); ``surat_permintaan`` and
``lembar_pengesahan`` each render one document to bytes.
"""
