// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#pragma once

#include "musubiinspectorglobal.h"

#include <QtCore/QAbstractListModel>
#include <QtCore/QJsonObject>
#include <QtCore/QString>

#include <deque>

class MUSUBI_INSPECTOR_EXPORT MusubiInspectorLogModel : public QAbstractListModel
{
    Q_OBJECT
    Q_PROPERTY(Kind kind READ kind WRITE setKind NOTIFY kindChanged)
    Q_PROPERTY(int capacity READ capacity WRITE setCapacity NOTIFY capacityChanged)
    Q_PROPERTY(QString filterText READ filterText WRITE setFilterText NOTIFY filterTextChanged)
    Q_PROPERTY(bool refusedOnly READ refusedOnly WRITE setRefusedOnly NOTIFY refusedOnlyChanged)
    Q_PROPERTY(bool paused READ isPaused WRITE setPaused NOTIFY pausedChanged)
    Q_PROPERTY(int skipped READ skipped NOTIFY skippedChanged)
    Q_PROPERTY(int count READ count NOTIFY countChanged)
    Q_PROPERTY(int total READ total NOTIFY totalChanged)
public:
    enum class Kind { Envelopes, Commands, Events };
    Q_ENUM(Kind)

    enum Role {
        RecordRole = Qt::UserRole + 1,
        TimeRole,
        RootRole,
        SummaryRole,
        RefusedRole,
        LatencyMsRole,
        StoreIdRole,
        NameRole,
        OutcomeRole,
    };
    Q_ENUM(Role)

    static constexpr int DefaultCapacity = 1000;

    explicit MusubiInspectorLogModel(QObject *parent = nullptr);
    explicit MusubiInspectorLogModel(Kind kind, QObject *parent = nullptr);
    ~MusubiInspectorLogModel() override;

    Kind kind() const;
    void setKind(Kind kind);
    int capacity() const;
    void setCapacity(int capacity);
    QString filterText() const;
    void setFilterText(const QString &text);
    bool refusedOnly() const;
    void setRefusedOnly(bool refusedOnly);
    bool isPaused() const;
    void setPaused(bool paused);
    int skipped() const;
    int count() const;
    int total() const;

    Q_INVOKABLE void append(const QJsonObject &record);
    Q_INVOKABLE void clear();
    Q_INVOKABLE QJsonObject recordAt(int row) const;
    Q_INVOKABLE QString copyJson(int row) const;
    Q_INVOKABLE QString copyAllJson() const;

    static QString summary(Kind kind, const QJsonObject &record);

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

Q_SIGNALS:
    void kindChanged();
    void capacityChanged();
    void filterTextChanged();
    void refusedOnlyChanged();
    void pausedChanged();
    void skippedChanged();
    void countChanged();
    void totalChanged();

private:
    struct Entry
    {
        quint64 seq = 0;
        QJsonObject record;
        QString text; // the compact JSON, what the filter searches
    };
    bool matches(const Entry &entry) const;
    const Entry &visibleEntry(int row) const;
    void dropOldest();
    void refilter();

    Kind m_kind = Kind::Envelopes;
    int m_capacity = DefaultCapacity;
    QString m_filter;
    bool m_refusedOnly = false;
    bool m_paused = false;
    int m_skipped = 0;
    quint64 m_nextSeq = 0;
    std::deque<Entry> m_entries; // oldest first; m_entries[i].seq == m_entries.front().seq + i
    std::deque<quint64> m_visible; // seqs of the entries that pass the filter, oldest first
};
