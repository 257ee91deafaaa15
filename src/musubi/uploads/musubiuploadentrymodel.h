// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#pragma once

#include "musubiglobal.h"

#include <QtCore/QAbstractListModel>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonObject>
#include <QtCore/QList>
#include <QtCore/QVariantMap>

#include <functional>
#include <optional>

class MusubiUpload;

/*!
    \class MusubiUploadEntry
    \brief One file of an upload handle, as the server and the client know it.

    See docs/protocol.md §8.2. Field names follow the wire \c entry object:
    \c ref, \c client_name, \c client_size, \c client_type, \c progress
    (0–100), \c status and \c errors (\c{[{code, message}]}).

    The status is the Status enum; the wire strings (\c pending,
    \c uploading, \c success, \c error, \c cancelled) appear only in
    toJson() and fromJson() (wireStatus(), statusFromWire()). QML reads the
    enum as \c{MusubiUploadEntry.Failed} and so on.

    \sa MusubiUploadEntryModel, MusubiUpload
*/
struct MUSUBI_CORE_EXPORT MusubiUploadEntry
{
    Q_GADGET
public:
    /*!
        \enum MusubiUploadEntry::Status
        \value Pending   Accepted by the preflight, not transferred yet (wire \c pending).
        \value Uploading Being transferred (wire \c uploading).
        \value Succeeded Transferred completely (wire \c success).
        \value Failed    Refused or failed; \c errors says why (wire \c error).
        \value Cancelled Reserved by the protocol, never assigned by the client or the
                          server (wire \c cancelled); a cancel deletes the entry.
    */
    enum class Status { Pending, Uploading, Succeeded, Failed, Cancelled };
    Q_ENUM(Status)

    QString ref;
    QString clientName;
    qint64 clientSize = 0;
    QString clientType;
    int progress = 0;
    Status status = Status::Pending;
    QJsonArray errors;

    /*! \brief The wire shape: \c{{ref, client_name, client_size, client_type, progress,
        status, errors}} with \c status as its wire string.
        \sa fromJson(), toMap() */
    QJsonObject toJson() const;
    /*! \brief Reads a wire \c entry object.

        Returns false (and leaves \a out alone) when \c ref is missing or
        \c status is not one of the five wire strings. */
    static bool fromJson(const QJsonObject &json, MusubiUploadEntry *out);
    /*! \brief The entry as the model's roles see it: \c{{ref, clientName, clientSize,
        clientType, progress, status, errors, errorString}}, \c status as the enum.
        \sa MusubiUploadEntryModel::get(), MusubiUpload::entries() */
    QVariantMap toMap() const;
    /*! \brief The message of the last error, empty if none. */
    QString errorString() const;

    /*! \brief The wire string of \a status (\c success for Succeeded, \c error for Failed).
        \sa statusFromWire() */
    static QString wireStatus(Status status);
    /*! \brief The status of wire string \a wire, or \c std::nullopt when it is not one
        of the five known strings. \sa wireStatus() */
    static std::optional<Status> statusFromWire(QStringView wire);
    /*! \brief The lower-case name of \a status (\c pending, \c uploading,
        \c succeeded, \c failed, \c cancelled), as musubi-cli prints it. */
    static QString statusName(Status status);

    friend bool operator==(const MusubiUploadEntry &, const MusubiUploadEntry &) = default;
};

/*!
    \class MusubiUploadEntryModel
    \brief The entries of one MusubiUpload as a read-only list model, in insertion order.

    Roles: \c ref, \c clientName, \c clientSize, \c clientType, \c progress
    (0–100), \c status (MusubiUploadEntry::Status; in QML compare with
    \c{MusubiUploadEntry.Failed} etc.), \c errors (list of \c{{code, message}})
    and \c errorString (the last error's message, empty if none).

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
    /*! \brief Entry \a ref with the role names as keys (MusubiUploadEntry::toMap()),
        or an empty map. */
    Q_INVOKABLE QVariantMap get(const QString &ref) const;
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
