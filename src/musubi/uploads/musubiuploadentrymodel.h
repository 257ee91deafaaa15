// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#pragma once

#include "musubiglobal.h"

#include <QtCore/QAbstractListModel>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonObject>
#include <QtCore/QList>

#include <functional>

class MusubiUpload;

/*!
    \class MusubiUploadEntry
    \brief One file of an upload handle, as the server and the client know it.

    See docs/protocol.md §8.2.

    Field names follow the wire \c entry object: \c ref, \c client_name,
    \c client_size, \c client_type, \c progress (0–100), \c status and
    \c errors (\c{[{code, message}]}).
*/
struct MUSUBI_CORE_EXPORT MusubiUploadEntry
{
    QString ref;
    QString clientName;
    qint64 clientSize = 0;
    QString clientType;
    int progress = 0;
    //! \c pending, \c uploading, \c success, \c error or \c cancelled (reserved, never assigned).
    QString status = QStringLiteral("pending");
    QJsonArray errors;

    //! The wire shape: \c{{ref, client_name, client_size, client_type, progress, status, errors}}.
    QJsonObject toJson() const;
    /*! Reads a wire \c entry object. Returns false (and leaves \a out alone) when
        \c ref is missing or \c status is not one of the five known values. */
    static bool fromJson(const QJsonObject &json, MusubiUploadEntry *out);

    bool isPending() const { return status == QLatin1String("pending"); }
    bool isUploading() const { return status == QLatin1String("uploading"); }
    bool isSuccess() const { return status == QLatin1String("success"); }
    bool isError() const { return status == QLatin1String("error"); }
    bool isCancelled() const { return status == QLatin1String("cancelled"); }

    friend bool operator==(const MusubiUploadEntry &, const MusubiUploadEntry &) = default;
};

/*!
    \class MusubiUploadEntryModel
    \brief The entries of one MusubiUpload as a read-only list model, in insertion order.

    Roles: \c ref, \c clientName, \c clientSize, \c clientType, \c progress
    (0–100), \c status (the wire string), \c errors (list of \c{{code, message}}),
    \c errorString (the last error's message, empty if none) and the flags
    \c isPending, \c isUploading, \c isSuccess, \c isError, \c isCancelled.

    Every change is a row-level signal (rowsInserted, rowsRemoved,
    dataChanged with the roles that changed); the model is never reset. Only
    MusubiUpload changes it.

    \sa MusubiUpload
*/
class MUSUBI_CORE_EXPORT MusubiUploadEntryModel : public QAbstractListModel
{
    Q_OBJECT
    Q_PROPERTY(int count READ count NOTIFY countChanged)
public:
    enum Role {
        RefRole = Qt::UserRole + 1,
        ClientNameRole,
        ClientSizeRole,
        ClientTypeRole,
        ProgressRole,
        StatusRole,
        ErrorsRole,
        ErrorStringRole,
        IsPendingRole,
        IsUploadingRole,
        IsSuccessRole,
        IsErrorRole,
        IsCancelledRole,
    };
    Q_ENUM(Role)

    explicit MusubiUploadEntryModel(QObject *parent = nullptr);
    ~MusubiUploadEntryModel() override;

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    int count() const { return int(m_entries.size()); }
    //! The entry at \a row (a default entry when out of range).
    MusubiUploadEntry entryAt(int row) const { return m_entries.value(row); }
    //! The row of entry \a ref, -1 if none.
    Q_INVOKABLE int indexOfRef(const QString &ref) const;
    //! Entry \a ref as its wire object, or an empty object.
    Q_INVOKABLE QJsonObject get(const QString &ref) const;
    QList<MusubiUploadEntry> entries() const { return m_entries; }
    //! Every entry's wire object, in order.
    QJsonArray toJson() const;

Q_SIGNALS:
    void countChanged();

private:
    friend class MusubiUpload;
    // The single place where rows change (begin/end pairs live here only).
    //! Inserts \a entry at the end, or updates the entry with its ref in place.
    void upsert(const MusubiUploadEntry &entry);
    //! Applies \a mutate to entry \a ref; returns false when there is no such entry.
    bool update(const QString &ref, const std::function<void(MusubiUploadEntry &)> &mutate);
    bool remove(const QString &ref);
    void clear();
    void emitRowChanged(int row, const MusubiUploadEntry &before);

    QList<MusubiUploadEntry> m_entries;
};
