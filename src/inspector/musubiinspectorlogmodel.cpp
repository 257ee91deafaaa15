// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#include "musubiinspectorlogmodel.h"
#include "musubiinspectorjson_p.h"

#include <QtCore/QDateTime>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtGui/QClipboard>
#include <QtGui/QGuiApplication>

using namespace Qt::StringLiterals;

namespace {

// One line of a payload: long payloads are cut, the log row stays one row.
QString preview(const QJsonValue &value, qsizetype max = 80)
{
    return Musubi::detail::inspectorPreview(value, max);
}

void toClipboard(const QString &text)
{
    // Tests and tools without a QGuiApplication still get the text back.
    if (qobject_cast<QGuiApplication *>(QCoreApplication::instance()))
        QGuiApplication::clipboard()->setText(text);
}

} // namespace

/*!
    \class MusubiInspectorLogModel
    \inmodule MusubiInspector
    \brief A ring buffer of MusubiTrace records of one kind (envelopes,
    commands or events), as a filterable, pausable list model.

    The log keeps the last capacity() records (1000 by default); the oldest
    goes when a new one arrives. Rows are the records that pass the filter:
    filterText() is searched, case-insensitively, in each record's compact
    JSON (which holds its \c root too), and refusedOnly() keeps only refused
    envelopes. While paused(), append() drops records and counts them in
    skipped().

    MusubiInspectorSession fills three of these from a connection's trace;
    the \c{Musubi.Inspector} QML module shows them.

    \sa MusubiTrace, MusubiInspectorSession
*/

/*!
    \enum MusubiInspectorLogModel::Kind

    Which records a log keeps, and how it summarises them.

    \value Envelopes \c envelope records: versions, op counts, bytes, apply
        time and changed stores, or the reason of a refusal.
    \value Commands \c command records: store id, name, outcome and latency.
    \value Events \c event records: store id, name and payload.
*/

/*!
    \enum MusubiInspectorLogModel::Role

    \value RecordRole the record (QJsonObject).
    \value TimeRole the record's \c at as local \c{HH:mm:ss.zzz}.
    \value RootRole the record's \c root.
    \value SummaryRole one line with the fields that matter for the kind (see summary()).
    \value RefusedRole \c true for a refused envelope.
    \value LatencyMsRole a command's latency in milliseconds (a double), or -1
        when it was not sent.
    \value StoreIdRole the store id, compact JSON (\c{["cart"]}).
    \value NameRole the command or event name.
    \value OutcomeRole a command's \c ok or its error kind.
*/

/*!
    \variable MusubiInspectorLogModel::DefaultCapacity
    \brief The capacity of a new log.
*/

/*!
    Constructs an envelope log with \a parent.
*/
MusubiInspectorLogModel::MusubiInspectorLogModel(QObject *parent)
    : QAbstractListModel(parent)
{ }

/*!
    Constructs a log of \a kind with \a parent.
*/
MusubiInspectorLogModel::MusubiInspectorLogModel(Kind kind, QObject *parent)
    : QAbstractListModel(parent)
    , m_kind(kind)
{ }

/*!
    Destroys the log.
*/
MusubiInspectorLogModel::~MusubiInspectorLogModel() = default;

/*!
    \property MusubiInspectorLogModel::kind
    \brief which records the log summarises.
*/
MusubiInspectorLogModel::Kind MusubiInspectorLogModel::kind() const
{
    return m_kind;
}

void MusubiInspectorLogModel::setKind(Kind kind)
{
    if (m_kind == kind)
        return;
    beginResetModel();
    m_kind = kind;
    endResetModel();
    Q_EMIT kindChanged();
}

/*!
    \property MusubiInspectorLogModel::capacity
    \brief how many records the log keeps (at least 1; default 1000).

    Lowering it drops the oldest records at once.
*/
int MusubiInspectorLogModel::capacity() const
{
    return m_capacity;
}

void MusubiInspectorLogModel::setCapacity(int capacity)
{
    capacity = qMax(1, capacity);
    if (m_capacity == capacity)
        return;
    m_capacity = capacity;
    const int before = total();
    while (qsizetype(m_entries.size()) > m_capacity)
        dropOldest();
    Q_EMIT capacityChanged();
    if (before != total())
        Q_EMIT totalChanged();
}

/*!
    \property MusubiInspectorLogModel::filterText
    \brief text every shown record's compact JSON contains (case-insensitive);
    empty shows all.
*/
QString MusubiInspectorLogModel::filterText() const
{
    return m_filter;
}

void MusubiInspectorLogModel::setFilterText(const QString &text)
{
    if (m_filter == text)
        return;
    m_filter = text;
    refilter();
    Q_EMIT filterTextChanged();
}

/*!
    \property MusubiInspectorLogModel::refusedOnly
    \brief whether only refused envelopes are shown.
*/
bool MusubiInspectorLogModel::refusedOnly() const
{
    return m_refusedOnly;
}

void MusubiInspectorLogModel::setRefusedOnly(bool refusedOnly)
{
    if (m_refusedOnly == refusedOnly)
        return;
    m_refusedOnly = refusedOnly;
    refilter();
    Q_EMIT refusedOnlyChanged();
}

/*!
    \property MusubiInspectorLogModel::paused
    \brief whether new records are dropped (and counted in skipped()).

    Pausing starts a new skipped() count.
*/
bool MusubiInspectorLogModel::isPaused() const
{
    return m_paused;
}

void MusubiInspectorLogModel::setPaused(bool paused)
{
    if (m_paused == paused)
        return;
    m_paused = paused;
    if (paused && m_skipped != 0) {
        m_skipped = 0;
        Q_EMIT skippedChanged();
    }
    Q_EMIT pausedChanged();
}

/*!
    \property MusubiInspectorLogModel::skipped
    \brief how many records the last (or current) pause dropped.
*/
int MusubiInspectorLogModel::skipped() const
{
    return m_skipped;
}

/*!
    \property MusubiInspectorLogModel::count
    \brief the number of rows: records kept that pass the filter.
*/
int MusubiInspectorLogModel::count() const
{
    return int(m_visible.size());
}

/*!
    \property MusubiInspectorLogModel::total
    \brief the number of records kept, shown or not.
*/
int MusubiInspectorLogModel::total() const
{
    return int(m_entries.size());
}

/*!
    Adds \a record (a MusubiTrace record) as the newest row, dropping the
    oldest one when the log is full; while paused() it only counts it.
*/
void MusubiInspectorLogModel::append(const QJsonObject &record)
{
    if (m_paused) {
        ++m_skipped;
        Q_EMIT skippedChanged();
        return;
    }
    const int countBefore = count();
    const int totalBefore = total();
    if (qsizetype(m_entries.size()) >= m_capacity)
        dropOldest();
    Entry entry;
    entry.seq = m_nextSeq++;
    entry.record = record;
    entry.text = Musubi::detail::inspectorJsonText(record);
    const bool shown = matches(entry);
    if (shown)
        beginInsertRows(QModelIndex(), count(), count());
    m_entries.push_back(std::move(entry));
    if (shown) {
        m_visible.push_back(m_entries.back().seq);
        endInsertRows();
    }
    if (countBefore != count())
        Q_EMIT countChanged();
    if (totalBefore != total())
        Q_EMIT totalChanged();
}

/*!
    Removes every record and resets skipped().
*/
void MusubiInspectorLogModel::clear()
{
    const int countBefore = count();
    const int totalBefore = total();
    beginResetModel();
    m_entries.clear();
    m_visible.clear();
    endResetModel();
    if (m_skipped != 0) {
        m_skipped = 0;
        Q_EMIT skippedChanged();
    }
    if (countBefore != 0)
        Q_EMIT countChanged();
    if (totalBefore != 0)
        Q_EMIT totalChanged();
}

/*!
    Returns the record shown in \a row, or an empty object.
*/
QJsonObject MusubiInspectorLogModel::recordAt(int row) const
{
    if (row < 0 || row >= count())
        return {};
    return visibleEntry(row).record;
}

/*!
    Puts the record of \a row on the clipboard as indented JSON and returns
    that text (empty, and the clipboard untouched, for a bad row).
*/
QString MusubiInspectorLogModel::copyJson(int row) const
{
    if (row < 0 || row >= count())
        return {};
    const QString text = QString::fromUtf8(QJsonDocument(recordAt(row)).toJson());
    toClipboard(text);
    return text;
}

/*!
    Puts every shown record, oldest first, on the clipboard as one indented
    JSON array and returns that text.
*/
QString MusubiInspectorLogModel::copyAllJson() const
{
    QJsonArray records;
    for (int row = 0; row < count(); ++row)
        records.append(visibleEntry(row).record);
    const QString text = QString::fromUtf8(QJsonDocument(records).toJson());
    toClipboard(text);
    return text;
}

/*!
    Returns the one-line summary of \a record for a log of \a kind: for an
    envelope \c{v1→v2}, op, stream op, upload op and event counts, bytes,
    apply time and changed store count, or the reason of a refusal; for a
    command the store id, name, outcome and latency; for an event the store
    id, name and a payload preview.
*/
QString MusubiInspectorLogModel::summary(Kind kind, const QJsonObject &record)
{
    const auto num = [&record](const QString &key) {
        return QString::number(record.value(key).toInteger());
    };
    switch (kind) {
    case Kind::Envelopes: {
        QString versions = record.value(u"initial"_s).toBool()
                ? u"initial → v"_s + num(u"version"_s)
                : u"v"_s + num(u"base_version"_s) + u" → v"_s + num(u"version"_s);
        if (!record.value(u"accepted"_s).toBool())
            return versions + u"  refused: "_s + record.value(u"reason"_s).toString();
        return versions + u"  "_s + num(u"ops"_s) + u" ops, "_s + num(u"stream_ops"_s)
                + u" stream, "_s + num(u"upload_ops"_s) + u" upload, "_s + num(u"events"_s)
                + u" events  "_s + num(u"bytes"_s) + u" B  "_s + num(u"apply_us"_s) + u" µs  "_s
                + QString::number(record.value(u"changed"_s).toArray().size()) + u" changed"_s;
    }
    case Kind::Commands: {
        QString text = Musubi::detail::inspectorJsonText(record.value(u"store_id"_s)) + u' '
                + record.value(u"name"_s).toString() + u"  "_s;
        text += record.value(u"outcome"_s).toString() == u"ok"_s
                ? u"ok"_s
                : record.value(u"error"_s).toString();
        if (record.contains(u"latency_us"_s)) {
            text += u"  "_s
                    + QString::number(record.value(u"latency_us"_s).toDouble() / 1000.0, 'f', 1)
                    + u" ms"_s;
        } else if (!record.value(u"sent"_s).toBool(true)) {
            text += u"  not sent"_s;
        }
        return text;
    }
    case Kind::Events:
        return Musubi::detail::inspectorJsonText(record.value(u"store_id"_s)) + u' '
                + record.value(u"name"_s).toString() + u"  "_s
                + preview(record.value(u"payload"_s));
    }
    return {};
}

/*!
    \reimp
*/
int MusubiInspectorLogModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : count();
}

/*!
    \reimp
*/
QVariant MusubiInspectorLogModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const QJsonObject &record = visibleEntry(index.row()).record;
    switch (role) {
    case RecordRole:
        return record;
    case TimeRole:
        return QDateTime::fromMSecsSinceEpoch(record.value(u"at"_s).toInteger())
                .toString(u"HH:mm:ss.zzz"_s);
    case RootRole:
        return record.value(u"root"_s).toString();
    case Qt::DisplayRole:
    case SummaryRole:
        return summary(m_kind, record);
    case RefusedRole:
        return record.value(u"kind"_s).toString() == u"envelope"_s
                && !record.value(u"accepted"_s).toBool();
    case LatencyMsRole:
        return record.contains(u"latency_us"_s) ? record.value(u"latency_us"_s).toDouble() / 1000.0
                                                : -1.0;
    case StoreIdRole:
        return Musubi::detail::inspectorJsonText(record.value(u"store_id"_s));
    case NameRole:
        return record.value(u"name"_s).toString();
    case OutcomeRole:
        return record.value(u"outcome"_s).toString() == u"error"_s
                ? record.value(u"error"_s).toString()
                : record.value(u"outcome"_s).toString();
    default:
        return {};
    }
}

/*!
    \reimp
*/
QHash<int, QByteArray> MusubiInspectorLogModel::roleNames() const
{
    return {
            {Qt::DisplayRole, "display"}, {RecordRole, "record"},   {TimeRole, "time"},
            {RootRole, "root"},           {SummaryRole, "summary"}, {RefusedRole, "refused"},
            {LatencyMsRole, "latencyMs"}, {StoreIdRole, "storeId"}, {NameRole, "name"},
            {OutcomeRole, "outcome"},
    };
}

bool MusubiInspectorLogModel::matches(const Entry &entry) const
{
    if (m_refusedOnly && entry.record.value(u"accepted"_s).toBool(true))
        return false;
    return m_filter.isEmpty() || entry.text.contains(m_filter, Qt::CaseInsensitive);
}

const MusubiInspectorLogModel::Entry &MusubiInspectorLogModel::visibleEntry(int row) const
{
    return m_entries[size_t(m_visible[size_t(row)] - m_entries.front().seq)];
}

// Drops the oldest record, and its row when it is shown (the oldest shown row is row 0).
void MusubiInspectorLogModel::dropOldest()
{
    if (m_entries.empty())
        return;
    const bool shown = !m_visible.empty() && m_visible.front() == m_entries.front().seq;
    if (shown) {
        beginRemoveRows(QModelIndex(), 0, 0);
        m_visible.pop_front();
        m_entries.pop_front();
        endRemoveRows();
        Q_EMIT countChanged();
    } else {
        m_entries.pop_front();
    }
}

// A filter change re-reads every kept record: a reset, not a change of the data.
void MusubiInspectorLogModel::refilter()
{
    const int before = count();
    beginResetModel();
    m_visible.clear();
    for (const Entry &entry : m_entries) {
        if (matches(entry))
            m_visible.push_back(entry.seq);
    }
    endResetModel();
    if (before != count())
        Q_EMIT countChanged();
}
