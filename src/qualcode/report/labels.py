"""The report's fixed words, in Indonesian and English."""

from __future__ import annotations

LANGUAGES = ("id", "en")

_LABELS: dict[str, tuple[str, str]] = {
    # key: (Indonesian, English)
    "report": ("Laporan pengodean", "Coding report"),
    "contents": ("Daftar isi", "Contents"),
    "overview": ("Ikhtisar", "Overview"),
    "codes": ("Kode", "Codes"),
    "matrices": ("Matriks", "Matrices"),
    "facets": ("Faset", "Facets"),
    "quotes": ("Kutipan per kode", "Quotes per code"),
    "uncoded": ("Giliran informan tanpa kode", "Uncoded informant turns"),
    "appendix": ("Lampiran: buku kode", "Appendix: codebook"),
    "codebook": ("Buku kode", "Codebook"),
    "version": ("versi", "version"),
    "language": ("bahasa", "language"),
    "document": ("Dokumen", "Document"),
    "documents": ("Dokumen", "Documents"),
    "informant": ("Informan", "Informant"),
    "role": ("Peran", "Role"),
    "date": ("Tanggal", "Date"),
    "turns": ("Giliran", "Turns"),
    "informant_turns": ("Giliran informan", "Informant turns"),
    "coded_turns": ("Giliran berkode", "Coded turns"),
    "coverage": ("Cakupan", "Coverage"),
    "coverage_note": (
        "Cakupan = bagian giliran informan yang mendapat sedikitnya satu kode.",
        "Coverage = share of informant turns that carry at least one code.",
    ),
    "codings": ("Pengodean", "Codings"),
    "hits": ("Kecocokan", "Hits"),
    "total": ("Jumlah", "Total"),
    "failed": ("Tidak dikodekan", "Not coded"),
    "code": ("Kode", "Code"),
    "segments": ("Segmen", "Segments"),
    "frequency_note": (
        "Segmen dan dokumen per kode; kode induk menjumlahkan anak-anaknya "
        "(setiap segmen dihitung sekali).",
        "Segments and documents per code; parent codes roll up their children "
        "(each segment counted once).",
    ),
    "code_by_document": ("Kode × dokumen", "Code × document"),
    "code_by_attribute": ("Kode × {name}", "Code × {name}"),
    "cooccurrence": ("Ko-okurensi kode", "Code co-occurrence"),
    "matrix_note": (
        "Jumlah segmen. Warna lebih gelap = lebih banyak.",
        "Number of segments. Darker = more.",
    ),
    "cooccurrence_note": (
        "Segmen yang membawa kedua kode sekaligus; diagonal = segmen kode itu sendiri.",
        "Segments carrying both codes; the diagonal is each code's own segments.",
    ),
    "no_codings": ("Belum ada segmen berkode.", "No coded segments yet."),
    "no_facets": (
        "Buku kode ini tidak mendefinisikan faset (facets).",
        "This codebook defines no facets.",
    ),
    "value": ("Nilai", "Value"),
    "strongest_quotes": ("Kutipan terkuat", "Strongest quotes"),
    "strength": ("Kekuatan", "Strengths"),
    "weakness": ("Kelemahan", "Weaknesses"),
    "opportunity": ("Peluang", "Opportunities"),
    "threat": ("Ancaman", "Threats"),
    "turn": ("giliran", "turn"),
    "speaker": ("Penutur", "Speaker"),
    "question": ("Pertanyaan pewawancara", "Interviewer's question"),
    "rule": ("aturan", "rule"),
    "status_counted": ("dihitung", "counted"),
    "status_negated": ("dinegasi, tidak dihitung", "negated, not counted"),
    "status_not_within": ("di dalam frasa pengecualian", "inside an excluded phrase"),
    "status_not_negated": ("tidak dinegasi, tidak dihitung", "not negated, not counted"),
    "quotes_count": ("kutipan", "quotes"),
    "more_quotes": ("Kutipan {first}–{last} dari {total}", "Quotes {first}–{last} of {total}"),
    "memo": ("Memo", "Memo"),
    "also_coded": ("Juga berkode", "Also coded"),
    "search": ("Cari", "Search"),
    "search_placeholder": ("Cari dalam kutipan…", "Search quotes…"),
    "all_codes": ("Semua kode", "All codes"),
    "all_documents": ("Semua dokumen", "All documents"),
    "attribute": ("Atribut", "Attribute"),
    "all_attributes": ("Semua atribut", "All attributes"),
    "reset": ("Atur ulang", "Reset"),
    "shown": ("{shown} dari {total} kutipan cocok", "{shown} of {total} quotes match"),
    "capped": (
        "Hanya {cap} yang pertama ditampilkan; persempit pencarian.",
        "Only the first {cap} are shown; narrow the search.",
    ),
    "no_js": (
        "Penyaring memerlukan JavaScript; semua isi tetap terbaca tanpanya.",
        "Filters need JavaScript; everything stays readable without it.",
    ),
    "uncoded_note": (
        "Giliran informan yang tidak mendapat kode apa pun: daftar periksa peneliti.",
        "Informant turns that carry no code: the researcher's to-do list.",
    ),
    "none_uncoded": ("Semua giliran informan berkode.", "Every informant turn is coded."),
    "definition": ("Definisi", "Definition"),
    "include": ("Gunakan bila", "Include"),
    "exclude": ("Jangan gunakan bila", "Exclude"),
    "examples": ("Contoh", "Examples"),
    "rules": ("Aturan", "Rules"),
    "keywords": ("Kata kunci", "Keywords"),
    "patterns": ("Pola", "Patterns"),
    "not_within": ("Tidak di dalam", "Not within"),
    "negation": ("Negasi", "Negation"),
    "min_hits": ("Kecocokan minimum", "Minimum hits"),
    "negation_count": ("dihitung", "counted"),
    "negation_skip": ("diabaikan", "skipped"),
    "negation_only": ("hanya yang dinegasi", "negated only"),
    "top": ("ke atas", "top"),
    "generated_by": ("Dibuat oleh qualcode {version}", "Made by qualcode {version}"),
    "sha": ("sidik buku kode", "codebook fingerprint"),
    "no_rules": ("(tanpa aturan sendiri)", "(no rules of its own)"),
    # review decisions (qualcode review) and where each coding comes from
    "review": ("Tinjauan", "Review"),
    "review_unreviewed": ("Belum ditinjau (otomatis)", "Unreviewed (auto)"),
    "review_accepted": ("Diterima", "Accepted"),
    "review_manual": ("Ditambahkan manual", "Added by hand"),
    "review_rejected": ("Ditolak", "Rejected"),
    "review_reanchored": ("Keputusan dipindahkan", "Re-anchored decisions"),
    "review_orphaned": ("Keputusan yatim", "Orphaned decisions"),
    "review_file": ("Berkas keputusan", "Decisions file"),
    "review_note": (
        "Pengodean otomatis yang belum ditinjau tetap ditampilkan; yang ditolak tidak ada di "
        "laporan ini. Keputusan dipindahkan = mengikuti teksnya ke nomor segmen baru setelah "
        "transkrip berubah.",
        "Unreviewed auto-codings are shown as they are; rejected ones are not in this report. "
        "Re-anchored = decisions that followed their text to a new segment number after a "
        "transcript changed.",
    ),
    "review_orphans": (
        "Keputusan yang tidak dapat ditempatkan tidak diterapkan; daftar dan alasannya ada di",
        "Decisions that could not be placed were not applied; they are listed with the reason in",
    ),
    "no_review": (
        "Belum ada keputusan tinjauan yang diterapkan; lihat `qualcode review`.",
        "No review decisions applied yet; see `qualcode review`.",
    ),
    "origin_auto": ("otomatis", "auto"),
    "origin_accepted": ("diterima ✓", "accepted ✓"),
    "origin_manual": ("manual", "manual"),
    "origin_title": ("Asal pengodean", "Where this coding comes from"),
    "manual_note": (
        "Ditambahkan peneliti: tidak ada kata yang cocok, jadi tidak ada sorotan.",
        "Added by the researcher: no words matched, so nothing is highlighted.",
    ),
    "filter_review": ("Tinjauan", "Review"),
    "all_origins": ("Semua kutipan", "All quotes"),
    "filter_reviewed": ("Sudah ditinjau", "Reviewed"),
    "filter_unreviewed": ("Belum ditinjau", "Unreviewed"),
    "unknown_codes": ("Kode yang tidak ada di buku kode", "Codes not in the codebook"),
    "unknown_codes_note": (
        "Pengodean ini memakai kode yang tidak ada di codebook.yaml folder ini, sehingga tidak "
        "masuk tabel maupun kutipan.",
        "These codings use codes that are not in this folder's codebook.yaml, so they are left "
        "out of the tables and the quotes.",
    ),
    "warning": ("Peringatan", "Warning"),
    "stale_codebook": (
        "Buku kode telah berubah sejak pengodean ini dibuat; jalankan ulang `qualcode code`.",
        "The codebook changed since these codings were made; re-run `qualcode code`.",
    ),
    "stale_transcripts": (
        "Transkrip berikut berubah sejak pengodean ini dibuat; jalankan ulang `qualcode code`:",
        "These transcripts changed since these codings were made; re-run `qualcode code`:",
    ),
}


def labels(language: str) -> dict[str, str]:
    """The label dictionary for ``language`` ("id" or "en")."""
    index = LANGUAGES.index(language)
    return {key: pair[index] for key, pair in _LABELS.items()}
